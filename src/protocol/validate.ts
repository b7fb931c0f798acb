// Validation of a record against its schema and its association's profile: the single function the app's
// forms and the server's sync endpoint both call, so they accept and refuse exactly the same data.
import type * as z from 'zod/mini';
import type { PolicyProfile } from '../domain/profiles/profile';
import { entitySchemas, type EntityName } from './entities';

export interface FieldError {
  path: string;
  code: string;
}

export type Validation<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

type Shape<E extends EntityName> = z.infer<(typeof entitySchemas)[E]>;

const channelIds = (p: PolicyProfile) => new Set(p.channels.map((c) => c.id));
const freeTextChannels = (p: PolicyProfile) =>
  new Set(p.channels.filter((c) => c.freeText === true).map((c) => c.id));

/** Rules that need the profile: the record's choices must be the association's own. */
function profileErrors(
  entity: EntityName,
  value: Record<string, unknown>,
  profile: PolicyProfile,
): FieldError[] {
  const errors: FieldError[] = [];
  const channelRule = (field: string, otherField: string) => {
    const channel = value[field];
    if (typeof channel !== 'string') return;
    if (!channelIds(profile).has(channel)) errors.push({ path: field, code: 'channel_not_in_profile' });
    const other = value[otherField];
    if (freeTextChannels(profile).has(channel) && (typeof other !== 'string' || other.trim() === '')) {
      errors.push({ path: otherField, code: 'channel_name_required' });
    }
  };
  switch (entity) {
    case 'beneficiary': {
      channelRule('preferredChannel', 'preferredChannelOther');
      if (value.category !== undefined && !profile.categories.some((c) => c.id === value.category)) {
        errors.push({ path: 'category', code: 'category_not_in_profile' });
      }
      const sensitive = value.sensitive;
      if (typeof sensitive === 'object' && sensitive !== null) {
        for (const key of Object.keys(sensitive)) {
          if (!profile.sensitive.fields.includes(key))
            errors.push({ path: `sensitive.${key}`, code: 'field_not_in_profile' });
        }
      }
      break;
    }
    case 'case': {
      const serviceTypeId = value.serviceTypeId;
      if (serviceTypeId === null) break;
      const service = profile.serviceTypes.find((s) => s.id === serviceTypeId);
      if (service === undefined) {
        errors.push({ path: 'serviceTypeId', code: 'service_not_in_profile' });
        break;
      }
      const known = new Set(service.requirements.map((r) => r.id));
      const provided = Array.isArray(value.providedItems) ? (value.providedItems as unknown[]) : [];
      provided.forEach((item, i) => {
        if (typeof item !== 'string' || !known.has(item))
          errors.push({ path: `providedItems.${i}`, code: 'requirement_not_in_service' });
      });
      break;
    }
    case 'interaction':
      channelRule('channel', 'channelOther');
      break;
    case 'notification':
    case 'complaint':
      if (
        typeof value.channel === 'string' &&
        value.channel !== 'public_form' &&
        !channelIds(profile).has(value.channel)
      ) {
        errors.push({ path: 'channel', code: 'channel_not_in_profile' });
      }
      break;
    default:
      break;
  }
  return errors;
}

/** The record's schema alone: its value, or each field at fault with the schema's code. */
function parseEntity<E extends EntityName>(entity: E, data: unknown): Validation<Shape<E>> {
  const parsed = entitySchemas[entity].safeParse(data);
  if (parsed.success) return { ok: true, value: parsed.data as Shape<E> };
  return {
    ok: false,
    errors: parsed.error.issues.map((issue) => ({
      path: issue.path.join('.'),
      code: issue.code === 'custom' ? issue.message : issue.code,
    })),
  };
}

export function validateEntity<E extends EntityName>(
  entity: E,
  data: unknown,
  profile: PolicyProfile,
): Validation<Shape<E>> {
  const parsed = parseEntity(entity, data);
  if (!parsed.ok) return parsed;
  const errors = profileErrors(entity, parsed.value, profile);
  return errors.length === 0 ? parsed : { ok: false, errors };
}

/**
 * The device's check before it saves: `validateEntity` with the profile in force, or, before the device has
 * a profile, the record's schema alone (the profile's rules then wait for the server).
 */
export function entityErrors(
  entity: EntityName,
  data: unknown,
  profile: PolicyProfile | undefined,
): FieldError[] {
  const valid = profile === undefined ? parseEntity(entity, data) : validateEntity(entity, data, profile);
  return valid.ok ? [] : valid.errors;
}
