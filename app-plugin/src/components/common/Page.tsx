import React, { ReactNode } from 'react';
import { PluginPage } from '@grafana/runtime';
import { Alert, Button, Text } from '@grafana/ui';

import { setSupportTenant, useSupportTenant } from '../../api/supportAccess';
import { t } from '../../i18n';
import { testIds } from '../testIds';

interface Props {
  testId: string;
  /** The heading in the user's language (the nav entry's name from plugin.json is English). */
  title?: string;
  subTitle?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
}

/**
 * Every app page: Grafana's PluginPage (title and breadcrumbs come from the nav entry of plugin.json)
 * with the support-access banner on top while another tenant's data is shown.
 */
export function Page({ testId, title, subTitle, actions, children }: Props) {
  const supportTenant = useSupportTenant();
  return (
    <PluginPage
      subTitle={subTitle}
      actions={actions}
      renderTitle={title ? () => <Text element="h1">{title}</Text> : undefined}
    >
      <div data-testid={testId}>
        {supportTenant && (
          <Alert
            severity="warning"
            title={t('support.banner', { tenant: supportTenant.name })}
            data-testid={testIds.common.supportBanner}
          >
            <Button size="sm" variant="secondary" icon="times" onClick={() => setSupportTenant(null)}>
              {t('support.exit')}
            </Button>
          </Alert>
        )}
        {children}
      </div>
    </PluginPage>
  );
}
