import React from 'react';
import { useSearchParams } from 'react-router-dom';
import { Alert, Stack, Tab, TabContent, TabsBar } from '@grafana/ui';

import { Page } from '../../components/common/Page';
import { testIds } from '../../components/testIds';
import { StringKey, t } from '../../i18n';
import { hasRole, isServerAdmin } from '../../utils/roles';
import { AlertRules } from './AlertRules';
import { AuditLog } from './AuditLog';
import { SupportAccess } from './SupportAccess';
import { SystemStatus } from './SystemStatus';
import { Tokens } from './Tokens';

const TABS = [
  { id: 'status', label: 'admin.tab.status', component: SystemStatus },
  { id: 'tokens', label: 'admin.tab.tokens', component: Tokens },
  { id: 'audit', label: 'admin.tab.audit', component: AuditLog },
  { id: 'support', label: 'admin.tab.support', component: SupportAccess, serverAdmin: true },
  { id: 'alerts', label: 'admin.tab.alerts', component: AlertRules },
] as const;

/**
 * Org admins only (the include's role and the routes' reqRole enforce it; this page says so instead of
 * showing errors). Support access is offered to Grafana server admins only.
 */
function Admin() {
  const [params, setParams] = useSearchParams();
  if (!hasRole('Admin')) {
    return (
      <Page title={t('page.admin')} testId={testIds.admin.container}>
        <Alert severity="info" title={t('admin.denied')} data-testid={testIds.admin.denied} />
      </Page>
    );
  }
  const tabs = TABS.filter((tab) => !('serverAdmin' in tab) || isServerAdmin());
  const active = tabs.find((tab) => tab.id === params.get('tab')) ?? tabs[0];
  const Content = active.component;

  return (
    <Page title={t('page.admin')} testId={testIds.admin.container} subTitle={t('admin.subtitle')}>
      <Stack direction="column" gap={2}>
        <TabsBar>
          {tabs.map((tab) => (
            <Tab
              key={tab.id}
              label={t(tab.label as StringKey)}
              active={tab.id === active.id}
              onChangeTab={() => {
                params.set('tab', tab.id);
                setParams(params);
              }}
            />
          ))}
        </TabsBar>
        <TabContent>
          <Content />
        </TabContent>
      </Stack>
    </Page>
  );
}

export default Admin;
