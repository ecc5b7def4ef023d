/**
 * Titles and actions of recommendations in the tenant's language (tenants.locale: ru or en). The
 * figures live in the structured fields and the evidence; the texts only name the resource and the move.
 */
import type { RecommendationKind } from '../../contract/query.js';

export type Locale = 'ru' | 'en';

type Params = Record<string, string | number>;
type Template = { title: (p: Params) => string; action: (p: Params) => string };

const TEXTS: Record<Locale, Record<RecommendationKind, Template>> = {
  en: {
    rightsize: {
      title: (p) => `Rightsize ${p.name}: ${p.from} → ${p.to}`,
      action: (p) =>
        `Change the flavor of ${p.name} from ${p.from} to ${p.to}: CPU p95 ${p.cpu} %, memory p95 ${p.mem} over ${p.days} days`,
    },
    delete_zombie: {
      title: (p) => `Delete zombie ${p.type} ${p.name}`,
      action: (p) =>
        `${p.name} is still billed but no longer in the inventory: find and delete it in the provider's console`,
    },
    delete_orphan_volume: {
      title: (p) => `Delete orphan volume ${p.name}`,
      action: (p) =>
        `${p.name} (${p.size}) is attached to nothing for at least ${p.age} days: snapshot it if needed, then delete it`,
    },
    release_ip: {
      title: (p) => `Release unused IP ${p.name}`,
      action: (p) => `The static address ${p.name} is reserved but used by nothing: release it`,
    },
    stopped_vm_disks: {
      title: (p) => `Stopped VM ${p.name} still pays for its disks`,
      action: (p) =>
        `${p.name} has been stopped for at least ${p.days} days while its disks are billed: snapshot and delete it, or delete the disks`,
    },
    idle_database: {
      title: (p) => `Idle database ${p.name}`,
      action: (p) => `${p.name}: CPU p95 ${p.cpu} % over ${p.days} days; delete it or merge it into another cluster`,
    },
    off_hours_schedule: {
      title: (p) => `Stop ${p.name} outside working hours`,
      action: (p) =>
        `${p.name} (${p.env}) idles at night and on weekends (CPU p95 ${p.cpu} %): run it Mon–Fri 08:00–20:00 only`,
    },
    storage_tier: {
      title: (p) => `Move ${p.name} to ${p.to} storage`,
      action: (p) =>
        `${p.name} (${p.size}) is on ${p.from} storage while its server is nearly idle: move it to ${p.to}`,
    },
  },
  ru: {
    rightsize: {
      title: (p) => `Уменьшить ${p.name}: ${p.from} → ${p.to}`,
      action: (p) =>
        `Смените конфигурацию ${p.name} с ${p.from} на ${p.to}: CPU p95 ${p.cpu} %, память p95 ${p.mem} за ${p.days} дн.`,
    },
    delete_zombie: {
      title: (p) => `Удалить зомби-ресурс ${p.name}`,
      action: (p) =>
        `${p.name} по-прежнему тарифицируется, но отсутствует в инвентаре: найдите и удалите его в консоли провайдера`,
    },
    delete_orphan_volume: {
      title: (p) => `Удалить бесхозный диск ${p.name}`,
      action: (p) =>
        `${p.name} (${p.size}) ни к чему не подключён не менее ${p.age} дн.: при необходимости сделайте снимок и удалите диск`,
    },
    release_ip: {
      title: (p) => `Освободить неиспользуемый IP ${p.name}`,
      action: (p) => `Статический адрес ${p.name} зарезервирован, но не используется: освободите его`,
    },
    stopped_vm_disks: {
      title: (p) => `Остановленная ВМ ${p.name} платит за диски`,
      action: (p) =>
        `${p.name} остановлена не менее ${p.days} дн., а её диски тарифицируются: сделайте снимок и удалите ВМ или диски`,
    },
    idle_database: {
      title: (p) => `Простаивающая база данных ${p.name}`,
      action: (p) => `${p.name}: CPU p95 ${p.cpu} % за ${p.days} дн.; удалите её или перенесите в другой кластер`,
    },
    off_hours_schedule: {
      title: (p) => `Выключать ${p.name} в нерабочее время`,
      action: (p) =>
        `${p.name} (${p.env}) простаивает ночью и в выходные (CPU p95 ${p.cpu} %): запускайте её только пн–пт 08:00–20:00`,
    },
    storage_tier: {
      title: (p) => `Перевести ${p.name} на диск ${p.to}`,
      action: (p) => `${p.name} (${p.size}) на диске ${p.from}, а сервер почти не нагружен: перенесите на ${p.to}`,
    },
  },
};

export function textFor(locale: Locale, kind: RecommendationKind, params: Params): { title: string; action: string } {
  const t = TEXTS[locale][kind];
  return { title: t.title(params), action: t.action(params) };
}
