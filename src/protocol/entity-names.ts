// The names of the synced entities on the wire: defined in the domain (src/domain/entity-names.ts), where the
// permissions module names them too, and re-exported here for the protocol's users.
export { entityNames, type EntityName } from '../domain/entity-names';
