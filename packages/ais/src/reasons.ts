/**
 * Stable snake_case reasons under which the decoder counts input it did not
 * turn into a message. Counted, never thrown. Order is documentation order.
 */
export const REJECT_REASONS = [
  // line level
  'line_too_long', // longer than maxLineLength (checked before any parsing)
  'blank_line', // empty or whitespace only
  'comment', // starts with '#'
  'not_ais', // any other line that is not !xxVDM/!xxVDO (GPS NMEA, garbage, proprietary $P… except $PGHP)
  // TAG block (NMEA 0183 v4 §7.9 / IEC 61162-1)
  'tagblock_checksum',
  'tagblock_malformed', // no '*hh\', unterminated, bad group spec
  // sentence
  'malformed_sentence', // wrong field count, bad fragment numbers, bad fill bits, no sentence after a TAG block
  'no_checksum',
  'checksum',
  'empty_payload',
  'bad_payload_char', // character outside the 6-bit armoring alphabet ('0'–'W', '`'–'w')
  // reassembly
  'orphan_fragment', // fragment n > 1 with no open group
  'duplicate_fragment', // same fragment again with identical payload (dropped, group kept)
  'fragment_out_of_order', // unexpected fragment number or count: the open group is discarded
  'fragment_timeout', // group expired (time or sentence budget)
  'fragment_overflow', // group evicted because maxPendingGroups was reached
  'fragment_incomplete', // group still open at flush()
  // message
  'bad_bit_count', // payload length outside the accepted range for its type
  'unknown_type', // message id 0 or 28–63
  'invalid_field', // e.g. type 24 part number 2 or 3
  'pghp_malformed', // $PGHP line with a bad checksum or unusable date
] as const;

export type RejectReason = (typeof REJECT_REASONS)[number];

/** Accepted-but-odd input, counted separately from rejections. */
export const WARNING_KINDS = [
  'bit_count_nonstandard', // accepted length that is not the nominal one (e.g. type 5 at 420 bits)
  'extra_fields', // more than 7 sentence fields (e.g. signalk gofree 8-field VDM)
  'trailing_garbage', // unrecognised characters after the checksum
] as const;

export type WarningKind = (typeof WARNING_KINDS)[number];
