/** App configuration page. */
export const en = {
  'config.fieldset': 'Collector',
  'config.help':
    'The InfraZen app reaches the collector through Grafana’s plugin proxy: the URL and token stay on Grafana’s server and are never sent to browsers.',
  'config.url': 'Collector URL',
  'config.url.help': 'Base URL of the InfraZen collector as Grafana’s server reaches it, e.g. http://collector:8080',
  'config.url.invalid': 'Enter an http:// or https:// URL without a user name or password.',
  'config.token': 'API token',
  'config.token.help':
    'The tenant API token of this organization (create one with "infrazen token create --org <org id>" or on the Admin page). Stored encrypted by Grafana.',
  'config.token.placeholder': 'Paste the API token',
  'config.save': 'Save settings',
  'config.saveFailed': 'The settings could not be saved: {detail}',
  'config.check': 'Check connection',
  'config.check.help': 'Checks the saved settings by asking the collector which tenant the token belongs to.',
  'config.check.unsaved': 'Save the changes first: the check uses the saved settings.',
  'config.check.ok': 'Connected to tenant “{tenant}” (organization {org}, reporting currency {currency}).',
  'config.check.failed': 'Connection check failed',
} as const;

export const ru: Record<keyof typeof en, string> = {
  'config.fieldset': 'Коллектор',
  'config.help':
    'Приложение InfraZen обращается к коллектору через прокси плагинов Grafana: URL и токен остаются на сервере Grafana и не передаются в браузер.',
  'config.url': 'URL коллектора',
  'config.url.help': 'Базовый URL коллектора InfraZen, доступный с сервера Grafana, например http://collector:8080',
  'config.url.invalid': 'Введите URL http:// или https:// без имени пользователя и пароля.',
  'config.token': 'API-токен',
  'config.token.help':
    'API-токен арендатора этой организации (создаётся командой «infrazen token create --org <id организации>» или на странице администрирования). Grafana хранит его зашифрованным.',
  'config.token.placeholder': 'Вставьте API-токен',
  'config.save': 'Сохранить настройки',
  'config.saveFailed': 'Не удалось сохранить настройки: {detail}',
  'config.check': 'Проверить подключение',
  'config.check.help': 'Проверяет сохранённые настройки: спрашивает у коллектора, какому арендатору принадлежит токен.',
  'config.check.unsaved': 'Сначала сохраните изменения: проверка использует сохранённые настройки.',
  'config.check.ok': 'Подключено к арендатору «{tenant}» (организация {org}, валюта отчётности {currency}).',
  'config.check.failed': 'Проверка подключения не удалась',
};
