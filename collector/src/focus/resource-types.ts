/**
 * FOCUS ResourceType is free text ("Virtual machine", "Instance", "compute.googleapis.com/Disk" …); the
 * inventory has a fixed taxonomy. The type is guessed from ResourceType, then ServiceName, then
 * ServiceCategory; the more specific kinds are tried first so "DB instance" is a database, not a server.
 */
import { RESOURCE_TYPES, type ResourceType } from '../providers/types.js';

const RULES: [ResourceType, RegExp][] = [
  ['k8s', /kubernetes|\bk8s\b|\baks\b|\beks\b|\bgke\b|\boke\b|container ?cluster|openshift|managed.?kubernetes/i],
  [
    'database',
    /database|\bdb\b|\bsql|postgre|mysql|mariadb|mongo|redis|memcache|cache|\brds\b|aurora|dynamo|cosmos|bigtable|spanner|firestore|clickhouse|kafka|greenplum|opensearch|elasticsearch/i,
  ],
  ['load_balancer', /load.?balanc|\belb\b|\balb\b|\bnlb\b|application gateway|front.?door/i],
  ['file_storage', /file.?(storage|system|share)|\befs\b|\bfsx\b|filestore|azure files|\bnfs\b/i],
  ['bucket', /bucket|\bs3\b|simple storage service|object.?storage|\bblob|cloud storage|storage account/i],
  ['volume', /\bdisk|volume|\bebs\b|snapshot|block.?storage|persistent.?disk/i],
  ['ip', /\bip\b|ip.?address|public.?ip|elastic.?ip|\beip\b|floating.?ip/i],
  ['domain', /domain|\bdns\b|route.?53|hosted.?zone/i],
  [
    'server',
    /virtual.?machine|\bvms?\b|\binstance|\bec2\b|elastic compute cloud|compute engine|droplet|server|\bnova\b/i,
  ],
  ['network', /network|\bvpc\b|\bvnet|subnet|nat.?gateway|\bvpn|gateway|\bcdn\b|cloudfront|bandwidth|transfer|egress/i],
];

const CATEGORY: Record<string, ResourceType> = {
  databases: 'database',
  networking: 'network',
};

const TAXONOMY = new Set<string>(RESOURCE_TYPES);

function match(text: string | null | undefined): ResourceType | undefined {
  if (!text) return undefined;
  // Our own export writes the taxonomy names themselves (server, file_storage …).
  const lower = text.trim().toLowerCase();
  if (TAXONOMY.has(lower)) return lower as ResourceType;
  for (const [type, pattern] of RULES) if (pattern.test(text)) return type;
  return undefined;
}

export function resourceTypeOf(r: {
  resourceType?: string | null;
  serviceName?: string | null;
  serviceCategory?: string | null;
}): ResourceType {
  return (
    match(r.resourceType) ?? match(r.serviceName) ?? CATEGORY[(r.serviceCategory ?? '').trim().toLowerCase()] ?? 'other'
  );
}
