/** zod schemas of the allocation rule routes (api-contract.md "Budgets, allocation, unit metrics"). */
import { z } from 'zod';
import { ALLOCATION_ATTRIBUTES } from '../../../../analytics/allocation.js';
import { parseInstant } from '../../../../analytics/periods.js';
import { authErrors, errorSchema, storableText } from '../../../schemas.js';

const attributeValue = storableText(200).pipe(z.string().min(1, 'must not be empty'));

export const ruleMatchSchema = z
  .strictObject({
    namePattern: storableText(300)
      .pipe(z.string().min(1))
      .optional()
      .describe('glob over the resource name (`web-*`, `?`; case-insensitive) or a regular expression `/^web-\\d+$/i`'),
    provider: storableText(100)
      .pipe(z.string().min(1))
      .optional()
      .describe('provider as billed (selectel, yandex, AWS …)'),
    connectionId: z.uuid({ error: 'must be a UUID' }).optional(),
    service: storableText(200).pipe(z.string().min(1)).optional().describe('service name, case-insensitive'),
    project: storableText(200)
      .pipe(z.string().min(1))
      .optional()
      .describe('folder or project id or name (Yandex Cloud folder, Cloud.ru project), case-insensitive'),
    tag: z
      .strictObject({
        key: storableText(200).pipe(z.string().min(1)),
        value: storableText(500).optional().describe('omitted: any resource with the tag'),
      })
      .optional(),
  })
  .describe('all given conditions must hold; {} matches everything');

export const ruleAssignSchema = z.strictObject(
  Object.fromEntries(ALLOCATION_ATTRIBUTES.map((a) => [a, attributeValue.optional()])) as Record<
    (typeof ALLOCATION_ATTRIBUTES)[number],
    z.ZodOptional<typeof attributeValue>
  >
);

export const ruleSplitSchema = z
  .strictObject({
    mode: z.enum(['even', 'proportional']).describe('proportional: by what each target is allocated directly that day'),
    targets: z.array(attributeValue).min(2, 'split over at least two targets').max(50),
    dimension: z
      .enum(ALLOCATION_ATTRIBUTES)
      .default('businessUnit')
      .describe('the attribute the targets are values of'),
  })
  .describe('shared cost: the matched cost is spread over the targets, exact to the kopeck');

const ruleFields = {
  name: attributeValue,
  priority: z.number().int().min(0).max(1_000_000).optional().describe('lower runs first; default 100'),
  enabled: z.boolean().optional().describe('default true'),
  match: ruleMatchSchema,
  assign: ruleAssignSchema.optional(),
  split: ruleSplitSchema.optional(),
};

export const ruleBodySchema = z.strictObject(ruleFields);

export const rulePatchSchema = z
  .strictObject({
    name: ruleFields.name.optional(),
    priority: ruleFields.priority,
    enabled: ruleFields.enabled,
    match: ruleMatchSchema.optional(),
    assign: ruleAssignSchema.optional(),
    split: ruleSplitSchema.nullable().optional().describe('null removes the split'),
  })
  .refine((body) => Object.values(body).some((v) => v !== undefined), { error: 'nothing to update' });

export const ruleSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    priority: z.number(),
    enabled: z.boolean(),
    match: ruleMatchSchema,
    assign: ruleAssignSchema,
    split: ruleSplitSchema.optional(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .describe('AllocationRule');

export const ruleParamsSchema = z.object({ id: z.uuid({ error: 'must be a UUID' }).describe('rule id') });

/** ISO 8601 with an offset, or a date (midnight in Moscow). */
export const instantSchema = z
  .string()
  .max(40)
  .transform((text, ctx) => {
    const at = parseInstant(text);
    if (!at) {
      ctx.addIssue({ code: 'custom', message: 'must be an ISO 8601 time with an offset, or a date YYYY-MM-DD' });
      return z.NEVER;
    }
    return at;
  });

export const previewBodySchema = z.strictObject({
  from: instantSchema,
  to: instantSchema,
  rules: z
    .array(ruleBodySchema.extend({ id: z.uuid().optional().describe('echoed back, to match results to saved rules') }))
    .max(500)
    .optional()
    .describe('the rule set to try instead of the saved one (unsaved edits); omitted: the saved rules'),
});

const money = z.string().describe('decimal string');
const coverage = z.object({ coveredCost: money, coveragePercent: z.number() });

export const previewResultSchema = z
  .object({
    currency: z.string(),
    totalCost: money,
    coveredCost: money.describe('cost with at least one attribute allocated (tag, rule or split)'),
    coveragePercent: z.number(),
    byAttribute: z.object(
      Object.fromEntries(ALLOCATION_ATTRIBUTES.map((a) => [a, coverage])) as Record<
        (typeof ALLOCATION_ATTRIBUTES)[number],
        typeof coverage
      >
    ),
    rules: z.array(
      z.object({
        id: z.string().nullable(),
        name: z.string(),
        matchedCost: money.describe(
          'cost this rule allocated at least one attribute of (after tags and earlier rules)'
        ),
        matchedResources: z.number(),
      })
    ),
    unconverted: z
      .object({ amount: money, currencies: z.array(z.string()) })
      .nullable()
      .describe('cost in currencies without an exchange rate, left out of the totals'),
  })
  .describe('AllocationPreview');

export const ruleErrors = { 400: errorSchema, 404: errorSchema, ...authErrors } as const;
