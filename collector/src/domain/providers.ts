/** Provider ids, as stored in connections.provider (see migrations/common/001). */
export const PROVIDERS = ['beget', 'selectel', 'yandex', 'cloudru', 'vkcloud', 'focus'] as const;
export type Provider = (typeof PROVIDERS)[number];
