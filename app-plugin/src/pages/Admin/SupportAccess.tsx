import React from 'react';
import { useNavigate } from 'react-router-dom';
import { Badge, Button, Stack, Text, useStyles2 } from '@grafana/ui';

import { api } from '../../api/client';
import { setSupportTenant, useSupportTenant } from '../../api/supportAccess';
import { Loadable } from '../../components/common/Loadable';
import { Empty } from '../../components/common/States';
import { getTableStyles } from '../../components/common/styles';
import { testIds } from '../../components/testIds';
import { ROUTES } from '../../constants';
import { t } from '../../i18n';
import { formatMoney } from '../../utils/format';
import { useLoad } from '../../utils/useLoad';

/**
 * Server admins pick a tenant to read for support. The tenant list itself is read as the admin's own
 * tenant (no switch header), so it stays available while support access is on.
 */
export function SupportAccess() {
  const s = useStyles2(getTableStyles);
  const navigate = useNavigate();
  const active = useSupportTenant();
  const tenants = useLoad(() => api.tenants(), []);

  return (
    <div data-testid={testIds.admin.support}>
      <Stack direction="column" gap={2}>
        <Text color="secondary">{t('support.help')}</Text>
        <Loadable state={tenants} empty={<Empty compact message="—" />}>
          {(list) => (
            <table className={s.table}>
              <thead>
                <tr>
                  <th>{t('support.col.name')}</th>
                  <th className="num">{t('support.col.org')}</th>
                  <th className="num">{t('support.col.connections')}</th>
                  <th className="num">{t('support.col.cost')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {list.map((tenant) => (
                  <tr key={tenant.id}>
                    <td>{tenant.name}</td>
                    <td className="num">{tenant.grafanaOrgId}</td>
                    <td className="num">{tenant.connections}</td>
                    <td className="num">{formatMoney(tenant.monthToDateCost, tenant.currency)}</td>
                    <td>
                      {active?.id === tenant.id ? (
                        <Badge color="orange" icon="eye" text={t('support.active')} />
                      ) : (
                        <Button
                          size="sm"
                          variant="secondary"
                          icon="eye"
                          data-testid={testIds.admin.supportOpen}
                          onClick={() => {
                            setSupportTenant({ id: tenant.id, name: tenant.name });
                            navigate(`../${ROUTES.Overview}`);
                          }}
                        >
                          {t('support.open')}
                        </Button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Loadable>
      </Stack>
    </div>
  );
}
