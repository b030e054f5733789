/**
 * Response schemas of the vessel, watchlist, suspect and batch routes: what each returns, for
 * OpenAPI and for Fastify's serialiser. Rows that carry many columns keep additionalProperties
 * and name their main fields; nullable fields say so (the serialiser would print "" or 0 for a
 * null it was told is a string or a number).
 */
const str = { type: 'string' } as const;
const nstr = { type: 'string', nullable: true } as const;
const int = { type: 'integer' } as const;
const nint = { type: 'integer', nullable: true } as const;
const nnum = { type: 'number', nullable: true } as const;
const instant = { type: 'string', format: 'date-time' } as const;
const ninstant = { type: 'string', format: 'date-time', nullable: true } as const;

/** GET /v1/vessels/:mmsi */
export const vesselIdentitySchema = {
  type: 'object',
  required: ['mmsi', 'mmsiValid', 'mmsiKind', 'firstSeen', 'lastSeen'],
  properties: {
    mmsi: int,
    imo: nint,
    imoValid: { type: 'boolean', nullable: true, description: 'IMO check digit (null without an IMO)' },
    name: nstr,
    callsign: nstr,
    shipType: { ...nint, description: 'AIS ship and cargo type code' },
    length: { ...nnum, description: 'metres' },
    width: { ...nnum, description: 'metres' },
    draught: { ...nnum, description: 'metres' },
    destination: nstr,
    flag: { ...nstr, description: 'ISO 3166 alpha-2 from the MMSI’s MID' },
    mmsiValid: { type: 'boolean' },
    mmsiKind: str,
    mmsiProblem: { ...str, description: 'why the MMSI is not a valid ship MMSI (absent when it is)' },
    firstSeen: instant,
    lastSeen: instant,
    identityReportedAt: ninstant,
  },
} as const;

/** GET /v1/vessels/:mmsi/history */
export const identityHistorySchema = {
  type: 'array',
  items: {
    type: 'object',
    required: ['field', 'value', 'firstSeen'],
    properties: { field: { type: 'string', enum: ['name', 'callsign', 'imo', 'ship_type', 'flag'] }, value: str, firstSeen: instant },
  },
} as const;

/** One watchlist or suspect match (ListMatch | SuspectMatch of @rendezvous/watchlists). */
const screeningMatch = {
  type: 'object',
  required: ['kind', 'rule', 'confidence'],
  additionalProperties: true,
  properties: {
    kind: { type: 'string', enum: ['watchlist', 'suspect'] },
    rule: { type: 'string', enum: ['imo', 'mmsi', 'name_callsign', 'name'] },
    confidence: { type: 'number' },
    list: { ...str, description: 'watchlist matches' },
    entryKey: str,
    entryName: nstr,
    program: nstr,
    listedAt: nstr,
    status: { type: 'string', enum: ['listed', 'listed_later'], description: 'listed_later: the same hull was designated after the time asked about' },
    suspectId: { ...int, description: 'suspect matches' },
    reason: str,
    addedBy: str,
    addedAt: instant,
  },
} as const;

/** GET /v1/vessels/:mmsi/matches */
export const vesselMatchesSchema = {
  type: 'object',
  required: ['mmsi', 'at', 'matches'],
  properties: { mmsi: int, at: instant, matches: { type: 'array', items: screeningMatch } },
} as const;

/** GET /v1/vessels/:mmsi/anomalies */
export const vesselAnomaliesSchema = {
  type: 'object',
  required: ['mmsi', 'range', 'anomalies'],
  properties: {
    mmsi: int,
    range: { type: 'object', required: ['from', 'to'], properties: { from: instant, to: instant } },
    anomalies: {
      type: 'array',
      items: {
        type: 'object',
        required: ['kind', 'mmsi', 'severity', 'detectedFrom', 'evidence', 'explanation'],
        properties: {
          kind: {
            type: 'string',
            enum: ['invalid_mmsi', 'imo_check_digit', 'shared_mmsi', 'imo_multiple_mmsi', 'mmsi_multiple_imo', 'identity_changes', 'watchlist_pairing_mismatch'],
          },
          mmsi: int,
          severity: { type: 'string', enum: ['low', 'medium', 'high'] },
          detectedFrom: str,
          detectedTo: nstr,
          evidence: { type: 'object', additionalProperties: true, description: 'what triggered the rule; its fields depend on kind' },
          explanation: str,
        },
      },
    },
  },
} as const;

/** GET /v1/vessels/:mmsi/track */
export const trackFeatureSchema = {
  type: 'object',
  description: 'GeoJSON Feature: MultiLineString geometry (broken at silences of 1 h or more)',
  required: ['type', 'geometry', 'properties'],
  properties: {
    type: { type: 'string', enum: ['Feature'] },
    geometry: {
      type: 'object',
      required: ['type', 'coordinates'],
      properties: {
        type: { type: 'string', enum: ['MultiLineString'] },
        coordinates: { type: 'array', items: { type: 'array', items: { type: 'array', items: { type: 'number' } } } },
      },
    },
    properties: {
      type: 'object',
      additionalProperties: true,
      properties: {
        mmsi: int,
        from: instant,
        to: instant,
        points: { ...int, description: 'positions in the range' },
        pointsReturned: { ...int, description: 'after simplification, isolated fixes included' },
        simplifyM: { type: 'number' },
        coordTimes: { type: 'array', items: { type: 'array', items: str }, description: 'the time of each coordinate, per line' },
        isolated: {
          type: 'array',
          description: 'fixes with no neighbour within the gap (a line needs two)',
          items: { type: 'object', properties: { coordinates: { type: 'array', items: { type: 'number' } }, time: instant } },
        },
      },
    },
  },
} as const;

/** GET /v1/watchlists */
export const watchlistsSchema = {
  type: 'array',
  items: {
    type: 'object',
    required: ['name', 'format', 'createdAt'],
    properties: {
      name: str,
      format: str,
      createdAt: instant,
      currentVersion: nint,
      entries: nint,
      lastImportedAt: ninstant,
      lastImportedBy: nstr,
    },
  },
} as const;

/** GET /v1/watchlists/:name/versions */
export const watchlistVersionsSchema = {
  type: 'array',
  items: {
    type: 'object',
    required: ['version', 'sha256', 'format', 'importedAt', 'importedBy', 'entries'],
    properties: {
      version: int,
      sha256: str,
      fileName: nstr,
      format: str,
      encoding: nstr,
      importedAt: instant,
      importedBy: str,
      entries: int,
      added: int,
      removed: int,
      changed: int,
      skipped: { ...int, description: 'rows the importer could not use' },
      invalidImos: { ...int, description: 'entries whose IMO fails the check digit' },
    },
  },
} as const;

/** GET /v1/watchlists/:name/entries: stored rows (snake_case columns of watchlist_entries). */
export const watchlistEntriesSchema = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: true,
    required: ['entry_key'],
    properties: {
      id: int,
      entry_key: str,
      name: nstr,
      aliases: { type: 'array', items: str },
      imo: nint,
      imo_valid: { type: 'boolean', nullable: true },
      mmsi: nint,
      mmsi_legacy: { type: 'array', items: int },
      callsign: nstr,
      flag: nstr,
      program: nstr,
      listed_at: nstr,
      added_version: int,
      removed_version: nint,
    },
  },
} as const;

/** PUT /v1/watchlists/:name (201 imported, 200 unchanged): ImportResult of @rendezvous/db. */
export const importResultSchema = {
  type: 'object',
  required: ['status', 'list', 'format', 'version', 'sha256', 'entries', 'added', 'removed', 'changed', 'importedAt'],
  properties: {
    status: { type: 'string', enum: ['imported', 'unchanged'] },
    list: str,
    format: str,
    version: int,
    sha256: str,
    entries: int,
    added: int,
    removed: int,
    changed: int,
    skipped: { type: 'array', items: { type: 'object', properties: { location: str, reason: str } } },
    invalidImos: { type: 'array', items: { type: 'object', properties: { location: str, imoRaw: str } } },
    importedAt: instant,
  },
} as const;

/** A suspect (Suspect of @rendezvous/db). */
export const suspectSchema = {
  type: 'object',
  required: ['id', 'reason', 'addedBy', 'addedAt'],
  properties: {
    id: int,
    imo: nint,
    mmsi: nint,
    reason: str,
    addedBy: str,
    addedAt: instant,
    removedBy: nstr,
    removedAt: ninstant,
    removalReason: nstr,
  },
} as const;

/** GET /v1/suspects/:id/audit */
export const suspectAuditSchema = {
  type: 'array',
  items: {
    type: 'object',
    required: ['action', 'actor', 'at'],
    properties: {
      action: { type: 'string', enum: ['added', 'removed', 'updated'] },
      actor: str,
      reason: nstr,
      at: instant,
      details: { description: 'what changed (JSON)' },
    },
  },
} as const;

/** The `request` and `result` of a reprocess job (ReprocessStatus of @rendezvous/queue). */
export const reprocessRequestSchema = {
  type: 'object',
  required: ['from', 'to', 'requestedBy'],
  properties: {
    from: instant,
    to: instant,
    bbox: { type: 'array', nullable: true, items: { type: 'number' }, description: '[west, south, east, north]' },
    profile: nstr,
    requestedBy: str,
  },
} as const;

export const reprocessResultSchema = {
  type: 'object',
  nullable: true,
  description: 'the windows’ combined counts, once completed',
  properties: {
    from: instant,
    to: instant,
    windows: int,
    events: int,
    created: int,
    updated: int,
    unchanged: int,
    retracted: int,
    positions: int,
  },
} as const;

/** One stored port call, as GET /v1/vessels/:mmsi/port-calls and /voyages return it. */
const portCallItem = {
  type: 'object',
  required: ['key', 'mmsi', 'segment', 'port', 'arrival', 'departure', 'durationS', 'draughtArrival', 'draughtDeparture', 'reasons'],
  properties: {
    key: str,
    mmsi: int,
    segment: nstr,
    port: {
      type: 'object',
      required: ['id', 'name', 'country', 'lon', 'lat'],
      properties: { id: str, name: nstr, country: { ...nstr, description: 'ISO3, as in the port list' }, lon: { type: 'number' }, lat: { type: 'number' } },
    },
    arrival: instant,
    departure: { ...ninstant, description: 'null: still in port at the end of the data' },
    durationS: { ...nint, description: 'arrival to departure; null while still in port' },
    draughtArrival: { ...nnum, description: 'reported type 5 draught (m) in force at arrival' },
    draughtDeparture: { ...nnum, description: 'reported type 5 draught (m) in force 2 h after departure' },
    reasons: { type: 'array', items: str },
  },
} as const;

/** GET /v1/vessels/:mmsi/port-calls */
export const vesselPortCallsSchema = {
  type: 'object',
  required: ['mmsi', 'portCalls'],
  properties: {
    mmsi: int,
    portCalls: { type: 'array', items: portCallItem },
  },
} as const;

const legPort = {
  type: 'object',
  required: ['id', 'name', 'country', 'lon', 'lat'],
  properties: { id: str, name: nstr, country: { ...nstr, description: 'ISO3, as in the port list' }, lon: { type: 'number' }, lat: { type: 'number' } },
} as const;

/** GET /v1/vessels/:mmsi/voyages */
export const vesselVoyagesSchema = {
  type: 'object',
  required: ['mmsi', 'usualSpeedKn', 'voyages'],
  properties: {
    mmsi: int,
    usualSpeedKn: { ...nnum, description: "the vessel's usual speed (kn) over its regular legs, the yardstick of hidden stops; of the first voyage with legs, null when there are none" },
    voyages: {
      type: 'array',
      items: {
        type: 'object',
        required: ['segment', 'ongoing', 'calls', 'legs'],
        properties: {
          segment: { ...nstr, description: 'the track segment of an MMSI two ships share; null normally' },
          ongoing: { type: 'boolean', description: 'the last call has no departure yet: the vessel is in port' },
          calls: { type: 'array', items: portCallItem },
          legs: {
            type: 'array',
            items: {
              type: 'object',
              required: [
                'index', 'from', 'to', 'departure', 'arrival', 'durationS', 'distanceNm', 'impliedSpeedKn', 'draughtDeparture', 'draughtArrival',
                'draughtChange', 'declaredDestination', 'irregularities',
              ],
              properties: {
                index: { type: 'integer', description: 'leg number in its voyage, from 0' },
                from: legPort,
                to: legPort,
                departure: { ...instant, description: 'departure from the `from` call' },
                arrival: { ...instant, description: 'arrival at the `to` call' },
                durationS: int,
                distanceNm: { type: 'number', description: 'great circle between the two ports (WGS84): a lower bound of the distance sailed' },
                impliedSpeedKn: { ...nnum, description: 'distanceNm / duration; null for a zero-time leg' },
                draughtDeparture: nnum,
                draughtArrival: nnum,
                draughtChange: { ...nnum, description: 'arrival − departure draught (m); + = deeper' },
                declaredDestination: {
                  type: 'object',
                  nullable: true,
                  required: ['destination', 'declaredAt'],
                  properties: { destination: str, declaredAt: instant },
                  description: 'the last type 5 destination declared at or before the arrival; null when none was',
                },
                irregularities: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['kind', 'reason', 'values'],
                    properties: {
                      kind: { type: 'string', enum: ['destination_mismatch', 'hidden_stop', 'draught_change_at_sea'] },
                      reason: str,
                      values: { type: 'object', additionalProperties: true, description: 'the numbers behind the finding (units in the names)' },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;
