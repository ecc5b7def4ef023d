/** The navigation Grafana builds for the signed-in user: app pages by role, datasources, Explore. */
import { hasRole } from '../proxy.js';
import type { HostBoot } from '../types.js';

declare global {
  interface Window {
    __e2eHost: HostBoot;
  }
}

export interface NavItem {
  text: string;
  url: string;
}

export interface NavSection {
  title: string;
  items: NavItem[];
}

export function hostBoot(): HostBoot {
  return window.__e2eHost;
}

export function navSections(): NavSection[] {
  const { user, plugins, datasources } = hostBoot();
  const sections: NavSection[] = [];
  for (const app of plugins.filter((p) => p.type === 'app')) {
    const items: NavItem[] = [];
    if (app.enabled) {
      for (const include of app.includes ?? []) {
        if (include.type === 'page' && include.addToNav && include.path && hasRole(user.orgRole, include.role)) {
          items.push({ text: include.name, url: include.path });
        }
      }
    }
    if (user.orgRole === 'Admin' && !items.some((i) => i.url === `/plugins/${app.id}`)) {
      items.push({ text: 'Plugin settings', url: `/plugins/${app.id}` });
    }
    sections.push({ title: app.name, items });
  }
  if (user.orgRole === 'Admin') {
    sections.push({
      title: 'Data sources',
      items: datasources.map((ds) => ({ text: ds.name, url: `/connections/datasources/edit/${ds.uid}` })),
    });
  }
  // Explore needs Editor in a default Grafana (viewers_can_edit = false).
  if (hasRole(user.orgRole, 'Editor')) {
    sections.push({
      title: 'Explore',
      items: datasources.map((ds) => ({ text: `Explore ${ds.name}`, url: `/explore?ds=${ds.uid}` })),
    });
  }
  return sections;
}
