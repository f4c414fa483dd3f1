/**
 * The V8 flag of every Node process a test starts (the CLI, README examples, peak-memory probes), as
 * test/run-node-tests.mjs gives the test files themselves.
 *
 * Why: Node 20 can deadlock at exit when the machine is starved (nodejs/node#54918, open): the main thread
 * waits in NodePlatform::DrainTasks for background tasks, while concurrent TurboFan jobs among them wait in
 * CollectionBarrier::AwaitCollectionBackground for a garbage collection only the main thread can run. Seen
 * here: README's 8-line engine example (0.07 s alone), run at nice 19 beside busy loops, sat 673 s at 0 %
 * CPU with exactly that stack (gdb) until killed; the README examples test's run of it once passed its 30 s deadline,
 * most likely the same way. Without concurrent recompilation TurboFan compiles on the main thread: no such job exists.
 */
export const CHILD_NODE_FLAGS: readonly string[] = ['--no-concurrent-recompilation'];
