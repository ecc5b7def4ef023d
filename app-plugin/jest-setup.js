// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';

// jsdom lacks the observers @grafana/ui's Drawer uses (TruncatedText, scroll shadows); tests measure nothing.
class ObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
  takeRecords() {
    return [];
  }
}
global.ResizeObserver = global.ResizeObserver || ObserverStub;
global.IntersectionObserver = global.IntersectionObserver || ObserverStub;

// The scaffold's canvas stub returns nothing; @grafana/ui's Combobox measures option text with it.
HTMLCanvasElement.prototype.getContext = () => ({
  measureText: (text) => ({ width: String(text).length * 7 }),
  font: '',
});

// Outside Grafana, @grafana/runtime's PluginPage renders only its children; tests need the header
// actions (the "add" buttons) too, as Grafana's real PluginPage shows them.
// setPluginPage is not in the package's public exports; its module sits beside the CJS entry point.
const path = require('path');
const React = require('react');
const { setPluginPage } = require(
  path.join(path.dirname(require.resolve('@grafana/runtime')), 'components/PluginPage.cjs')
);
setPluginPage(({ renderTitle, actions, subTitle, children }) =>
  React.createElement(
    'div',
    null,
    React.createElement('header', null, renderTitle ? renderTitle('') : null, subTitle, actions),
    children
  )
);
