export const testIds = {
  appConfig: {
    apiToken: 'data-testid ac-api-token',
    apiUrl: 'data-testid ac-api-url',
    submit: 'data-testid ac-submit-form',
  },
  overview: {
    container: 'data-testid overview-container',
  },
};
