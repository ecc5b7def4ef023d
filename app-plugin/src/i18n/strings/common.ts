/** Text shared by every page: actions, states, errors, providers, statuses, durations. */
export const en = {
  'action.save': 'Save',
  'action.cancel': 'Cancel',
  'action.delete': 'Delete',
  'action.edit': 'Edit',
  'action.create': 'Create',
  'action.retry': 'Try again',

  'state.loading': 'Loading…',
  'state.errorTitle': 'Could not load data',

  'error.tokenRejected':
    'The collector rejected the API token of the InfraZen app. An administrator can set a new one on the app’s configuration page.',
  'error.forbidden': 'The collector refused this action for your role.',
  'error.roleDenied': 'Your Grafana role is not allowed to do this.',
  'error.routeMissing':
    'Grafana has no route for this request. Check that the InfraZen app is enabled and up to date in this organization.',
  'error.unreachable':
    'Cannot reach the InfraZen collector ({detail}). Check the collector URL on the app’s configuration page.',
  'error.status': 'The collector answered with status {status}.',
  'error.notAvailable': 'This part of the collector is not available yet (the endpoint answered 404).',
  'error.actionFailed': 'The change was not saved: {detail}',

  'role.Viewer': 'Viewer',
  'role.Editor': 'Editor',
  'role.Admin': 'Admin',
  'role.None': 'No role',

  'provider.beget': 'Beget',
  'provider.selectel': 'Selectel',
  'provider.yandex': 'Yandex Cloud',
  'provider.cloudru': 'Cloud.ru',
  'provider.vkcloud': 'VK Cloud',
  'provider.focus': 'FOCUS import',

  'status.pending': 'Waiting for first sync',
  'status.syncing': 'Syncing',
  'status.ok': 'Healthy',
  'status.error': 'Failing',
  'status.disabled': 'Disabled',

  'duration.seconds': '{n} s',
  'duration.minutes': '{n} min',
  'duration.hours': '{n} h',
  'duration.days': '{n} days',
  'time.ago': '{span} ago',
  'time.in': 'in {span}',

  'support.banner':
    'Support access: you are viewing the data of tenant “{tenant}” read-only. Every page you open is written to the audit logs of both tenants.',
  'support.exit': 'Leave support access',

  'page.overview': 'Overview',
  'page.connections': 'Connections',
  'page.resources': 'Resources',
  'page.recommendations': 'Recommendations',
  'page.budgets': 'Budgets',
  'page.allocation': 'Allocation',
  'page.admin': 'Admin',
} as const;

export const ru: Record<keyof typeof en, string> = {
  'action.save': 'Сохранить',
  'action.cancel': 'Отмена',
  'action.delete': 'Удалить',
  'action.edit': 'Изменить',
  'action.create': 'Создать',
  'action.retry': 'Повторить',

  'state.loading': 'Загрузка…',
  'state.errorTitle': 'Не удалось загрузить данные',

  'error.tokenRejected':
    'Коллектор отклонил API-токен приложения InfraZen. Администратор может задать новый на странице настроек приложения.',
  'error.forbidden': 'Коллектор не разрешил это действие для вашей роли.',
  'error.roleDenied': 'Вашей роли в Grafana это действие не разрешено.',
  'error.routeMissing':
    'В Grafana нет маршрута для этого запроса. Проверьте, что приложение InfraZen включено в этой организации и обновлено.',
  'error.unreachable': 'Коллектор InfraZen недоступен ({detail}). Проверьте URL коллектора в настройках приложения.',
  'error.status': 'Коллектор ответил статусом {status}.',
  'error.notAvailable': 'Эта часть коллектора пока недоступна (ответ 404).',
  'error.actionFailed': 'Изменение не сохранено: {detail}',

  'role.Viewer': 'Наблюдатель',
  'role.Editor': 'Редактор',
  'role.Admin': 'Администратор',
  'role.None': 'Без роли',

  'provider.beget': 'Beget',
  'provider.selectel': 'Selectel',
  'provider.yandex': 'Yandex Cloud',
  'provider.cloudru': 'Cloud.ru',
  'provider.vkcloud': 'VK Cloud',
  'provider.focus': 'Импорт FOCUS',

  'status.pending': 'Ждёт первой синхронизации',
  'status.syncing': 'Синхронизация',
  'status.ok': 'Работает',
  'status.error': 'Ошибка',
  'status.disabled': 'Отключено',

  'duration.seconds': '{n} с',
  'duration.minutes': '{n} мин',
  'duration.hours': '{n} ч',
  'duration.days': '{n} дн.',
  'time.ago': '{span} назад',
  'time.in': 'через {span}',

  'support.banner':
    'Доступ поддержки: вы просматриваете данные арендатора «{tenant}» только для чтения. Каждая открытая страница записывается в журналы аудита обоих арендаторов.',
  'support.exit': 'Выйти из доступа поддержки',

  'page.overview': 'Обзор',
  'page.connections': 'Подключения',
  'page.resources': 'Ресурсы',
  'page.recommendations': 'Рекомендации',
  'page.budgets': 'Бюджеты',
  'page.allocation': 'Распределение затрат',
  'page.admin': 'Администрирование',
};
