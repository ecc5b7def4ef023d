/** `/`: where the signed-in user can go, by role (the host's stand-in for Grafana's home). */
import { Stack, Text, TextLink } from '@grafana/ui';

import { navSections } from '../nav.js';

export function HomePage() {
  return (
    <Stack direction="column" gap={2}>
      <Text element="h1">InfraZen plugins test host</Text>
      <Text color="secondary">
        Loads the built plugins from their dist/ folders the way Grafana does; the data proxy and plugin proxy are
        emulated from each plugin.json.
      </Text>
      {navSections().map((section) => (
        <Stack key={section.title} direction="column" gap={0.5}>
          <Text element="h3">{section.title}</Text>
          {section.items.map((item) => (
            <TextLink key={item.url} href={item.url} inline={false}>
              {item.text}
            </TextLink>
          ))}
        </Stack>
      ))}
    </Stack>
  );
}
