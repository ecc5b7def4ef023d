// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';

// @grafana/ui's Combobox measures option text on a canvas (the scaffold stubs getContext to return
// nothing) and renders its menu as a virtual list sized from the scroll element's client size (jsdom
// reports 0 × 0, so no option would render). Give both something to measure.
HTMLCanvasElement.prototype.getContext = () => ({ measureText: (text) => ({ width: String(text).length * 7 }) });
for (const [name, size] of [
  ['clientWidth', 300],
  ['clientHeight', 600],
  ['offsetWidth', 300],
  ['offsetHeight', 30],
]) {
  Object.defineProperty(HTMLElement.prototype, name, { configurable: true, get: () => size });
}

// The Combobox menu's scroll indicators watch visibility; jsdom has no IntersectionObserver.
class NoopIntersectionObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
  takeRecords() {
    return [];
  }
}
global.IntersectionObserver = NoopIntersectionObserver;
