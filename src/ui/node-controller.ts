/**
 * Makes and replaces the nodes of a `<stereo-upmixer>`, so that the element itself stays a view of
 * whichever node it has. The latency mode and the model switch are fixed when a node is created, so a
 * change of either needs a new node on the same context. The controller owns the nodes it made: it
 * disposes of one when it is replaced or when the element leaves the page, and of one whose creation was
 * overtaken by a newer request (or cancelled) as soon as it arrives. A node given to the element by its
 * page is never disposed here: it stays its owner's. Main thread only.
 * @packageDocumentation
 */
import { createNodeFor, type NodeRecipe, type UpmixerContext } from './create-node.js';
import type { UpmixerNodeLike } from './upmixer-like.js';

export class NodeController {
  private readonly own = new WeakSet<UpmixerNodeLike>();
  private ticket = 0;
  private making = false;

  /** True while a node is being made. */
  get busy(): boolean {
    return this.making;
  }

  /**
   * Makes a node from `recipe` on `context`. Resolves with it, or with null if a newer request or
   * {@link cancel} overtook it (it is then disposed already); rejects if creation failed.
   */
  async make(context: UpmixerContext, recipe: NodeRecipe): Promise<UpmixerNodeLike | null> {
    const ticket = ++this.ticket;
    this.making = true;
    try {
      const node = await createNodeFor(context, recipe);
      if (ticket !== this.ticket) {
        node.dispose?.();
        return null;
      }
      this.own.add(node);
      return node;
    } finally {
      if (ticket === this.ticket) this.making = false;
    }
  }

  /** True if this controller made `node` (and so will dispose of it). */
  owns(node: UpmixerNodeLike | null | undefined): boolean {
    return node !== null && node !== undefined && this.own.has(node);
  }

  /** Disposes of `node` if this controller made it; a node from elsewhere is left alone. */
  release(node: UpmixerNodeLike | null | undefined): void {
    if (node !== null && node !== undefined && this.own.has(node)) {
      this.own.delete(node);
      node.dispose?.();
    }
  }

  /** Gives up on a node being made: it is disposed when it arrives. */
  cancel(): void {
    this.ticket++;
    this.making = false;
  }
}
