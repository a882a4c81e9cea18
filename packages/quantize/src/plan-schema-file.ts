import { planSchema, type PlanSchemaNode } from './plan-schema.js';

/** Drops the `errorMessage` keyword (ours, not JSON Schema's) from a schema node and its children. */
function publicNode(node: PlanSchemaNode): Record<string, unknown> {
  const { errorMessage: _message, properties, items, ...rest } = node;
  return {
    ...rest,
    ...(properties
      ? { properties: Object.fromEntries(Object.entries(properties).map(([key, child]) => [key, publicNode(child)])) }
      : {}),
    ...(items ? { items: publicNode(items) } : {}),
  };
}

/**
 * The text of `schemas/plan.schema.json`: {@link planSchema} as standard JSON Schema, for editors
 * and other validators.
 * @returns Pretty-printed JSON with a final newline.
 */
export function planSchemaJson(): string {
  return `${JSON.stringify(publicNode(planSchema), null, 2)}\n`;
}
