import React, { ReactElement, Suspense } from 'react';
import { MemoryRouter } from 'react-router-dom';
import { render, RenderResult } from '@testing-library/react';

/** Renders a page inside a router at `path` (query included), as Grafana mounts app pages. */
export function renderPage(page: ReactElement, path = '/'): RenderResult {
  return render(
    <MemoryRouter initialEntries={[path]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <Suspense fallback={null}>{page}</Suspense>
    </MemoryRouter>
  );
}
