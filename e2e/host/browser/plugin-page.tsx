/**
 * Grafana's page chrome for plugins (`PluginPage`, set through setPluginPage as Grafana does): the
 * title from `pageNav` or the app's current nav, subtitle, actions and the page body.
 */
import { css } from '@emotion/css';
import { GrafanaTheme2, NavModel, PageLayoutType } from '@grafana/data';
import type { PluginPageProps } from '@grafana/runtime';
import { useStyles2 } from '@grafana/ui';
import { createContext, useContext } from 'react';
import { useLocation } from 'react-router-dom';

import { hostBoot } from './nav.js';

export const NavContext = createContext<NavModel | undefined>(undefined);

/** Grafana titles a plugin page from its nav entry: the app include whose path the URL is under. */
function includeTitle(pathname: string): string | undefined {
  const includes = hostBoot().plugins.flatMap((p) => p.includes ?? []);
  const match = includes
    .filter((i) => i.type === 'page' && i.path && (pathname === i.path || pathname.startsWith(`${i.path}/`)))
    .sort((a, b) => b.path!.length - a.path!.length)[0];
  return match?.name;
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ padding: theme.spacing(2, 3), display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
  header: css({ display: 'flex', alignItems: 'flex-start', justifyContent: 'space-between', gap: theme.spacing(2) }),
  title: css({ margin: 0, fontSize: theme.typography.h2.fontSize }),
  subTitle: css({ color: theme.colors.text.secondary, marginTop: theme.spacing(0.5) }),
  actions: css({ display: 'flex', gap: theme.spacing(1) }),
});

export function HostPluginPage({ children, pageNav, subTitle, actions, info, renderTitle, layout }: PluginPageProps) {
  const styles = useStyles2(getStyles);
  const nav = useContext(NavContext);
  const { pathname } = useLocation();
  const title = pageNav?.text ?? nav?.node.text ?? includeTitle(pathname) ?? '';
  const showHeader = layout !== PageLayoutType.Canvas && layout !== PageLayoutType.Custom;
  return (
    <div className={styles.page} data-testid="host-plugin-page">
      {showHeader && (
        <div className={styles.header}>
          <div>
            {renderTitle ? renderTitle(title) : <h1 className={styles.title}>{title}</h1>}
            {(subTitle ?? pageNav?.subTitle) && <div className={styles.subTitle}>{subTitle ?? pageNav?.subTitle}</div>}
            {info?.map((item, i) => (
              <div key={i} className={styles.subTitle}>
                {item.label}: {item.value}
              </div>
            ))}
          </div>
          {actions && <div className={styles.actions}>{actions}</div>}
        </div>
      )}
      <div>{children}</div>
    </div>
  );
}
