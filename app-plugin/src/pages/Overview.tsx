import React from 'react';
import { PluginPage } from '@grafana/runtime';

import { testIds } from '../components/testIds';

function Overview() {
  return (
    <PluginPage>
      <div data-testid={testIds.overview.container}>InfraZen</div>
    </PluginPage>
  );
}

export default Overview;
