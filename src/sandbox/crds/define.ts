/** A JSON schema node, as CRDs carry them (structural OpenAPI v3 with Kubernetes extensions). */
export type Schema = Record<string, unknown>;

export interface CrdShape {
  group: string;
  /** v1 unless given. */
  version?: string;
  kind: string;
  plural: string;
  singular?: string;
  shortNames?: string[];
  scope: 'Namespaced' | 'Cluster';
  spec: Schema;
  status?: Schema;
  requiredSpec?: boolean;
  printerColumns?: { name: string; type: string; jsonPath: string }[];
}

/** A v1 CRD with a structural schema: unknown fields are rejected, as on a real cluster. */
export function defineCrd(s: CrdShape): Record<string, unknown> {
  const singular = s.singular ?? s.kind.toLowerCase();
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${s.plural}.${s.group}` },
    spec: {
      group: s.group,
      scope: s.scope,
      names: { kind: s.kind, listKind: `${s.kind}List`, plural: s.plural, singular, ...(s.shortNames ? { shortNames: s.shortNames } : {}) },
      versions: [
        {
          name: s.version ?? 'v1',
          served: true,
          storage: true,
          ...(s.status ? { subresources: { status: {} } } : {}),
          schema: {
            openAPIV3Schema: obj(
              { apiVersion: str, kind: str, metadata: { type: 'object' }, spec: s.spec, ...(s.status ? { status: s.status } : {}) },
              s.requiredSpec ? { required: ['spec'] } : {},
            ),
          },
          additionalPrinterColumns: [...(s.printerColumns ?? []), { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' }],
        },
      ],
    },
  };
}

export const str: Schema = { type: 'string' };
export const bool: Schema = { type: 'boolean' };
export const int32: Schema = { type: 'integer', format: 'int32' };
export const int64: Schema = { type: 'integer', format: 'int64' };
export const time: Schema = { type: 'string', format: 'date-time' };
export const enumOf = (...values: string[]): Schema => ({ type: 'string', enum: values });
export const arrayOf = (items: Schema, extra: Schema = {}): Schema => ({ type: 'array', items, ...extra });
export const mapOf = (values: Schema): Schema => ({ type: 'object', additionalProperties: values });
/** A subtree whose shape we do not model; kept as given (like upstream's free-form fields). */
export const freeForm: Schema = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
/** Kubernetes quantities (`2048M`, `1`) are strings or integers. */
export const quantity: Schema = { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] };

export function obj(properties: Record<string, Schema>, extra: Schema = {}): Schema {
  return { type: 'object', properties, ...extra };
}

/** metav1.Condition, as CRDs that follow the API conventions use it. */
export const conditions: Schema = arrayOf(
  obj(
    { type: str, status: enumOf('True', 'False', 'Unknown'), observedGeneration: int64, lastTransitionTime: time, reason: str, message: str },
    { required: ['type', 'status', 'lastTransitionTime', 'reason', 'message'] },
  ),
  { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] },
);

export const labelSelector: Schema = obj(
  {
    matchLabels: mapOf(str),
    matchExpressions: arrayOf(obj({ key: str, operator: str, values: arrayOf(str) }, { required: ['key', 'operator'] })),
  },
  { 'x-kubernetes-map-type': 'atomic' },
);
