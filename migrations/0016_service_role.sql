-- The services connect as a role that can only read and write rows (issue 11); the schema,
-- extensions and tables belong to the role that applies migrations. Two things the services do
-- need the owner's rights, and get them here, narrowly:
--   • creating a day partition of positions (CREATE TABLE … PARTITION OF needs the parent's
--     owner): the function runs as its owner, with a fixed search_path so a caller cannot
--     redirect the names it uses;
--   • nothing else: row privileges for the service role are granted by the migrator after each
--     run (packages/db/src/migrator.ts grantServiceRole), since role names are per deployment.
ALTER FUNCTION rendezvous_ensure_position_partition(date) SECURITY DEFINER SET search_path = public, pg_temp;
REVOKE ALL ON FUNCTION rendezvous_ensure_position_partition(date) FROM PUBLIC;

-- API tokens may expire (the first-run demo's token does: it is printed on a console).
ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz;
