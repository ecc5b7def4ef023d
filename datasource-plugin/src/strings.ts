/**
 * Every piece of UI text of the datasource, in English and Russian (see i18n.ts for how one is picked).
 * `{name}` placeholders are filled by `t(key, params)`. Russian must have every English key: the type
 * makes a missing translation a compile error rather than an untranslated label.
 */
const EN = {
  // Query types
  'queryType.label': 'Query type',
  'queryType.tooltip': 'What to fetch from the InfraZen collector',
  'queryType.costs': 'Costs',
  'queryType.costs.help':
    'Cost over time or in total, grouped and filtered by provider, service, region, tags and more. Amounts are in the reporting currency unless grouped by currency.',
  'queryType.cost_summary': 'Cost summary',
  'queryType.cost_summary.help':
    'KPIs: month to date, same period last month, change, forecast to month end, active resources, providers, potential savings, budget used.',
  'queryType.resources': 'Resources',
  'queryType.resources.help': 'The resource inventory with costs and zombie / orphan flags, as a table.',
  'queryType.utilization': 'Utilization',
  'queryType.utilization.help': 'CPU or memory utilization (average, maximum or 95th percentile) over time.',
  'queryType.snapshots': 'Sync history',
  'queryType.snapshots.help': 'Provider syncs: when they ran, how long they took, what they found.',
  'queryType.changes': 'Resource changes',
  'queryType.changes.help':
    'Resources created, updated or deleted between syncs. Also available as dashboard annotations.',
  'queryType.recommendations': 'Recommendations',
  'queryType.recommendations.help': 'Savings recommendations (filled in by the analytics module).',
  'queryType.budgets': 'Budgets',
  'queryType.budgets.help': 'Budgets and how much of each is used (filled in by the analytics module).',
  'queryType.forecast': 'Forecast',
  'queryType.forecast.help': 'Cost forecast (filled in by the analytics module).',
  'queryType.anomalies': 'Anomalies',
  'queryType.anomalies.help': 'Unusual cost changes (filled in by the analytics module).',
  'queryType.balances': 'Balances',
  'queryType.balances.help': 'Prepaid account balances of the providers.',
  'queryType.allocation': 'Allocation',
  'queryType.allocation.help': 'Costs allocated to business units, projects and cost centers.',
  'queryType.unit_cost': 'Unit cost',
  'queryType.unit_cost.help': 'Cost per business unit of work (filled in by the analytics module).',

  // Dimensions
  'dimension.provider': 'Provider',
  'dimension.connection': 'Connection',
  'dimension.service': 'Service',
  'dimension.service_category': 'Service category',
  'dimension.region': 'Region',
  'dimension.resource': 'Resource',
  'dimension.resource_type': 'Resource type',
  'dimension.charge_category': 'Charge category',
  'dimension.business_unit': 'Business unit',
  'dimension.project': 'Project',
  'dimension.environment': 'Environment',
  'dimension.cost_center': 'Cost center',
  'dimension.currency': 'Billing currency',
  'dimension.tag_key': 'Tag keys',
  'dimension.tag_value': 'Tag values',
  'dimension.tag': 'Tag: {key}',

  // Costs
  'metric.label': 'Metric',
  'metric.tooltip': 'Billed: what the invoice says. Effective: after discounts and commitments. List: at list prices.',
  'metric.billed_cost': 'Billed',
  'metric.effective_cost': 'Effective',
  'metric.list_cost': 'List',
  'granularity.label': 'Granularity',
  'granularity.tooltip':
    'Auto follows the panel interval ({interval}). Total gives one value per group for tables, bar charts and pie charts.',
  'granularity.auto': 'Auto',
  'granularity.hour': 'Hour',
  'granularity.day': 'Day',
  'granularity.week': 'Week',
  'granularity.month': 'Month',
  'granularity.total': 'Total',
  'groupBy.label': 'Group by',
  'groupBy.tooltip': 'One series per combination of values. Type tag:<key> to group by a tag.',
  'groupBy.placeholder': 'No grouping',
  'topN.label': 'Top N',
  'topN.tooltip': 'Keep the N largest groups over the time range; the rest is summed into "Other".',
  'topN.placeholder': 'All groups',

  // Filters
  'filters.label': 'Filters',
  'filters.tooltip':
    'Include or exclude dimension values. Values may be template variables ($provider); "All" means no filter.',
  'filters.add': 'Add filter',
  'filters.remove': 'Remove filter',
  'filters.dimension': 'Dimension',
  'filters.values': 'Values',
  'filters.valuesPlaceholder': 'Choose or type values',
  'filters.include': 'Is',
  'filters.exclude': 'Is not',

  // Resources
  'resources.type': 'Type',
  'resources.type.tooltip': 'Resource type, e.g. server, volume, bucket.',
  'resources.status': 'Status',
  'resources.status.tooltip': 'Provider status, e.g. RUNNING or STOPPED. Empty: any.',
  'resources.flag': 'Flag',
  'resources.flag.tooltip':
    'Zombie: still billed but idle or stopped. Orphan: detached from what it served (a volume without a server).',
  'resources.flag.any': 'Any',
  'resources.flag.zombie': 'Zombie',
  'resources.flag.orphan': 'Orphan',
  'resources.search': 'Search',
  'resources.search.tooltip': 'Part of the name or provider id.',
  'resources.limit': 'Limit',
  'resources.any': 'Any',

  // Utilization
  'utilization.metric.cpu': 'CPU',
  'utilization.metric.memory': 'Memory',
  'utilization.aggregation': 'Aggregation',
  'utilization.aggregation.tooltip': 'How hourly samples are combined: average, maximum or 95th percentile.',
  'utilization.aggregation.avg': 'Average',
  'utilization.aggregation.max': 'Maximum',
  'utilization.aggregation.p95': 'p95',
  'utilization.groupBy.tooltip': 'Per resource, per connection or per provider; empty gives one series for everything.',
  'utilization.groupBy.placeholder': 'One series',

  // Changes
  'changes.actions': 'Actions',
  'changes.kinds': 'Kinds',
  'changes.kinds.tooltip': 'Only changes of cost, status or configuration. Empty: all.',
  'changes.kinds.placeholder': 'All kinds',
  'change.created': 'Created',
  'change.updated': 'Updated',
  'change.deleted': 'Deleted',
  'change.generic': 'Resource change',
  'kind.cost': 'Cost',
  'kind.status': 'Status',
  'kind.config': 'Configuration',
  'annotations.help': 'Resource changes from the InfraZen syncs, tagged with action, kind and provider.',

  // Template variables
  'variable.dimension': 'Values of',
  'variable.dimension.tooltip': 'The dimension whose values the variable lists.',
  'variable.dimension.placeholder': 'Choose a dimension',
  'variable.tagKey': 'Tag key',
  'variable.tagKey.tooltip': 'The tag whose values are listed. May be a variable.',
  'variable.tagKey.placeholder': 'Choose a tag key',
  'variable.help':
    'Use the variable in filters as $name; with multi-value or "Include All" every selected value is used, and All means no filter.',

  // Config editor
  'config.url': 'Collector URL',
  'config.url.tooltip':
    'Base URL of the InfraZen collector as Grafana’s server reaches it. The browser never calls it directly.',
  'config.token': 'API token',
  'config.token.tooltip':
    'The tenant API token (create one with "infrazen token create --org <org id>"). Stored encrypted by Grafana and added to requests by its data proxy.',
  'config.token.placeholder': 'Paste the API token',
  'config.currency': 'Reporting currency',
  'config.currency.tooltip': 'Currency the collector converts costs into. Default: RUB.',
  'config.help':
    'Connects Grafana to the InfraZen collector. Save & test checks the URL, the token and data freshness.',

  // Health check
  'health.noUrl': 'Set the collector URL, then save and test again.',
  'health.unreachable':
    'Cannot reach the InfraZen collector at {url} ({detail}). Check the URL from Grafana’s server and that the collector is running.',
  'health.degraded': 'The collector answers but is not ready: {reason}. Check its database and logs.',
  'health.tokenRejected':
    'The collector is reachable, but the API token was rejected. Create a new token ("infrazen token create --org <org id>"), paste it here, then save and test.',
  'health.tokenForbidden':
    'The API token is valid but not allowed to read this tenant. Use a token of this organization.',
  'health.meFailed': 'The collector is reachable, but the token check failed: {detail}',
  'health.noConnections':
    'Connected to tenant "{tenant}", but it has no provider connections yet. Add one in the InfraZen app to see costs.',
  'health.failing':
    'Connected to tenant "{tenant}", but {count} of {total} provider connections fail to sync. Check their credentials in the InfraZen app.',
  'health.neverSynced':
    'Connected to tenant "{tenant}" with {count} connections, but nothing has synced yet. Run a sync in the InfraZen app or wait for the schedule.',
  'health.stale':
    'Connected to tenant "{tenant}", but the last sync was {age} ago. Check that the collector’s scheduler is running.',
  'health.ok': 'Connected to tenant "{tenant}": {count} connections, last sync {age} ago.',
  'health.freshnessFailed': 'Connected to tenant "{tenant}", but data freshness could not be checked: {detail}',

  // Query errors
  'error.tokenRejected': 'The collector rejected the API token. Update it in the datasource settings.',
  'error.forbidden': 'Your role is not allowed to run this request.',
  'error.unreachable': 'Cannot reach the InfraZen collector ({detail}).',
  'error.collector': 'Collector error {status}: {detail}',
  'error.noResult': 'The collector returned no result for this query.',

  // Links and durations
  'link.resource': 'Open resource in InfraZen',
  'age.minutes': '{m} min',
  'age.hours': '{h} h {m} min',
  'age.days': '{d} days',
} as const;

export type StringKey = keyof typeof EN;

const RU: Record<StringKey, string> = {
  'queryType.label': 'Тип запроса',
  'queryType.tooltip': 'Что получить от коллектора InfraZen',
  'queryType.costs': 'Затраты',
  'queryType.costs.help':
    'Затраты во времени или итогом, с группировкой и фильтрами по провайдеру, сервису, региону, тегам и другим измерениям. Суммы в валюте отчётности, если не группировать по валюте.',
  'queryType.cost_summary': 'Сводка затрат',
  'queryType.cost_summary.help':
    'Показатели: с начала месяца, тот же период прошлого месяца, изменение, прогноз на конец месяца, активные ресурсы, провайдеры, возможная экономия, использование бюджета.',
  'queryType.resources': 'Ресурсы',
  'queryType.resources.help': 'Инвентарь ресурсов с затратами и признаками «зомби» / «сирота», в виде таблицы.',
  'queryType.utilization': 'Загрузка',
  'queryType.utilization.help': 'Загрузка CPU или памяти (среднее, максимум или 95-й перцентиль) во времени.',
  'queryType.snapshots': 'История синхронизаций',
  'queryType.snapshots.help': 'Синхронизации с провайдерами: когда шли, сколько длились, что нашли.',
  'queryType.changes': 'Изменения ресурсов',
  'queryType.changes.help':
    'Ресурсы, созданные, изменённые или удалённые между синхронизациями. Доступны и как аннотации дашборда.',
  'queryType.recommendations': 'Рекомендации',
  'queryType.recommendations.help': 'Рекомендации по экономии (заполняются модулем аналитики).',
  'queryType.budgets': 'Бюджеты',
  'queryType.budgets.help': 'Бюджеты и их использование (заполняются модулем аналитики).',
  'queryType.forecast': 'Прогноз',
  'queryType.forecast.help': 'Прогноз затрат (заполняется модулем аналитики).',
  'queryType.anomalies': 'Аномалии',
  'queryType.anomalies.help': 'Необычные изменения затрат (заполняются модулем аналитики).',
  'queryType.balances': 'Балансы',
  'queryType.balances.help': 'Балансы предоплаченных счетов у провайдеров.',
  'queryType.allocation': 'Распределение',
  'queryType.allocation.help': 'Затраты, распределённые по подразделениям, проектам и центрам затрат.',
  'queryType.unit_cost': 'Удельная стоимость',
  'queryType.unit_cost.help': 'Стоимость единицы бизнес-метрики (заполняется модулем аналитики).',

  'dimension.provider': 'Провайдер',
  'dimension.connection': 'Подключение',
  'dimension.service': 'Сервис',
  'dimension.service_category': 'Категория сервиса',
  'dimension.region': 'Регион',
  'dimension.resource': 'Ресурс',
  'dimension.resource_type': 'Тип ресурса',
  'dimension.charge_category': 'Категория начисления',
  'dimension.business_unit': 'Подразделение',
  'dimension.project': 'Проект',
  'dimension.environment': 'Окружение',
  'dimension.cost_center': 'Центр затрат',
  'dimension.currency': 'Валюта счёта',
  'dimension.tag_key': 'Ключи тегов',
  'dimension.tag_value': 'Значения тега',
  'dimension.tag': 'Тег: {key}',

  'metric.label': 'Метрика',
  'metric.tooltip':
    'Выставленная: как в счёте. Фактическая: с учётом скидок и обязательств. По прайсу: по прейскурантным ценам.',
  'metric.billed_cost': 'Выставленная',
  'metric.effective_cost': 'Фактическая',
  'metric.list_cost': 'По прайсу',
  'granularity.label': 'Детализация',
  'granularity.tooltip':
    '«Авто» следует интервалу панели ({interval}). «Итого» даёт одно значение на группу — для таблиц, столбчатых и круговых диаграмм.',
  'granularity.auto': 'Авто',
  'granularity.hour': 'Час',
  'granularity.day': 'День',
  'granularity.week': 'Неделя',
  'granularity.month': 'Месяц',
  'granularity.total': 'Итого',
  'groupBy.label': 'Группировать',
  'groupBy.tooltip': 'Один ряд на каждое сочетание значений. Введите tag:<ключ>, чтобы группировать по тегу.',
  'groupBy.placeholder': 'Без группировки',
  'topN.label': 'Топ N',
  'topN.tooltip': 'Оставить N крупнейших групп за период; остальное суммируется в «Прочее».',
  'topN.placeholder': 'Все группы',

  'filters.label': 'Фильтры',
  'filters.tooltip':
    'Включить или исключить значения измерения. Значения могут быть переменными ($provider); «All» означает без фильтра.',
  'filters.add': 'Добавить фильтр',
  'filters.remove': 'Удалить фильтр',
  'filters.dimension': 'Измерение',
  'filters.values': 'Значения',
  'filters.valuesPlaceholder': 'Выберите или введите значения',
  'filters.include': 'Равно',
  'filters.exclude': 'Не равно',

  'resources.type': 'Тип',
  'resources.type.tooltip': 'Тип ресурса, например server, volume, bucket.',
  'resources.status': 'Статус',
  'resources.status.tooltip': 'Статус у провайдера, например RUNNING или STOPPED. Пусто — любой.',
  'resources.flag': 'Признак',
  'resources.flag.tooltip':
    'Зомби: оплачивается, но простаивает или остановлен. Сирота: оторван от того, чему служил (диск без сервера).',
  'resources.flag.any': 'Любой',
  'resources.flag.zombie': 'Зомби',
  'resources.flag.orphan': 'Сирота',
  'resources.search': 'Поиск',
  'resources.search.tooltip': 'Часть имени или идентификатора у провайдера.',
  'resources.limit': 'Лимит',
  'resources.any': 'Любой',

  'utilization.metric.cpu': 'CPU',
  'utilization.metric.memory': 'Память',
  'utilization.aggregation': 'Агрегация',
  'utilization.aggregation.tooltip': 'Как объединяются часовые замеры: среднее, максимум или 95-й перцентиль.',
  'utilization.aggregation.avg': 'Среднее',
  'utilization.aggregation.max': 'Максимум',
  'utilization.aggregation.p95': 'p95',
  'utilization.groupBy.tooltip': 'По ресурсам, подключениям или провайдерам; пусто — один ряд на всё.',
  'utilization.groupBy.placeholder': 'Один ряд',

  'changes.actions': 'Действия',
  'changes.kinds': 'Виды',
  'changes.kinds.tooltip': 'Только изменения стоимости, статуса или конфигурации. Пусто — все.',
  'changes.kinds.placeholder': 'Все виды',
  'change.created': 'Создан',
  'change.updated': 'Изменён',
  'change.deleted': 'Удалён',
  'change.generic': 'Изменение ресурса',
  'kind.cost': 'Стоимость',
  'kind.status': 'Статус',
  'kind.config': 'Конфигурация',
  'annotations.help': 'Изменения ресурсов из синхронизаций InfraZen с тегами действия, вида и провайдера.',

  'variable.dimension': 'Значения',
  'variable.dimension.tooltip': 'Измерение, значения которого перечисляет переменная.',
  'variable.dimension.placeholder': 'Выберите измерение',
  'variable.tagKey': 'Ключ тега',
  'variable.tagKey.tooltip': 'Тег, значения которого перечисляются. Может быть переменной.',
  'variable.tagKey.placeholder': 'Выберите ключ тега',
  'variable.help':
    'Используйте переменную в фильтрах как $имя; при множественном выборе или «Include All» берутся все выбранные значения, а All означает без фильтра.',

  'config.url': 'URL коллектора',
  'config.url.tooltip': 'Базовый URL коллектора InfraZen, доступный с сервера Grafana. Браузер к нему не обращается.',
  'config.token': 'API-токен',
  'config.token.tooltip':
    'API-токен арендатора (создаётся командой «infrazen token create --org <id организации>»). Grafana хранит его зашифрованным и добавляет к запросам в своём прокси.',
  'config.token.placeholder': 'Вставьте API-токен',
  'config.currency': 'Валюта отчётности',
  'config.currency.tooltip': 'Валюта, в которую коллектор пересчитывает затраты. По умолчанию RUB.',
  'config.help': 'Подключает Grafana к коллектору InfraZen. «Save & test» проверяет URL, токен и свежесть данных.',

  'health.noUrl': 'Укажите URL коллектора, затем сохраните и проверьте снова.',
  'health.unreachable':
    'Коллектор InfraZen по адресу {url} недоступен ({detail}). Проверьте URL с сервера Grafana и что коллектор запущен.',
  'health.degraded': 'Коллектор отвечает, но не готов: {reason}. Проверьте его базу данных и журналы.',
  'health.tokenRejected':
    'Коллектор доступен, но API-токен отклонён. Создайте новый токен («infrazen token create --org <id организации>»), вставьте его сюда, сохраните и проверьте.',
  'health.tokenForbidden':
    'API-токен действителен, но не даёт доступа к этому арендатору. Используйте токен этой организации.',
  'health.meFailed': 'Коллектор доступен, но проверка токена не удалась: {detail}',
  'health.noConnections':
    'Подключено к арендатору «{tenant}», но подключений к провайдерам пока нет. Добавьте подключение в приложении InfraZen.',
  'health.failing':
    'Подключено к арендатору «{tenant}», но {count} из {total} подключений к провайдерам не синхронизируются. Проверьте их учётные данные в приложении InfraZen.',
  'health.neverSynced':
    'Подключено к арендатору «{tenant}» ({count} подключений), но синхронизаций ещё не было. Запустите синхронизацию в приложении InfraZen или дождитесь расписания.',
  'health.stale':
    'Подключено к арендатору «{tenant}», но последняя синхронизация была {age} назад. Проверьте, что планировщик коллектора работает.',
  'health.ok': 'Подключено к арендатору «{tenant}»: подключений — {count}, последняя синхронизация {age} назад.',
  'health.freshnessFailed': 'Подключено к арендатору «{tenant}», но свежесть данных проверить не удалось: {detail}',

  'error.tokenRejected': 'Коллектор отклонил API-токен. Обновите его в настройках источника данных.',
  'error.forbidden': 'Вашей роли этот запрос не разрешён.',
  'error.unreachable': 'Коллектор InfraZen недоступен ({detail}).',
  'error.collector': 'Ошибка коллектора {status}: {detail}',
  'error.noResult': 'Коллектор не вернул результат для этого запроса.',

  'link.resource': 'Открыть ресурс в InfraZen',
  'age.minutes': '{m} мин',
  'age.hours': '{h} ч {m} мин',
  'age.days': '{d} дн.',
};

export const STRINGS: Record<'en' | 'ru', Record<StringKey, string>> = { en: EN, ru: RU };
