/**
 * Tells whether an element can be seen: on screen (IntersectionObserver) and in a visible page
 * (`document.visibilityState`). The meters animate only while both hold. Main thread only.
 * @packageDocumentation
 */

export class VisibilityGate {
  private intersecting = false;
  private observer: IntersectionObserver | null = null;
  private readonly element: Element;
  private readonly onChange: (visible: boolean) => void;
  private last = false;
  private readonly onVisibilityChange = (): void => this.notify();

  /** `onChange` is called with the new state whenever it flips (after {@link start}). */
  constructor(element: Element, onChange: (visible: boolean) => void) {
    this.element = element;
    this.onChange = onChange;
  }

  /** True while the element intersects the viewport and the page is visible. */
  get visible(): boolean {
    return this.intersecting && document.visibilityState === 'visible';
  }

  start(): void {
    if (this.observer) return;
    this.observer = new IntersectionObserver((entries) => {
      for (const entry of entries) this.intersecting = entry.isIntersecting;
      this.notify();
    });
    this.observer.observe(this.element);
    document.addEventListener('visibilitychange', this.onVisibilityChange);
  }

  stop(): void {
    this.observer?.disconnect();
    this.observer = null;
    document.removeEventListener('visibilitychange', this.onVisibilityChange);
    this.intersecting = false;
    this.notify();
  }

  private notify(): void {
    const visible = this.visible;
    if (visible === this.last) return;
    this.last = visible;
    this.onChange(visible);
  }
}
