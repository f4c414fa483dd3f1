// The baseline for the render-speed bench: a processor that only copies its input to two outputs.
class CopyProcessor extends AudioWorkletProcessor {
  process(inputs, outputs) {
    const input = inputs[0];
    const output = outputs[0];
    if (input && input.length > 0) {
      output[0].set(input[0]);
      output[1].set(input[input.length > 1 ? 1 : 0]);
    }
    return true;
  }
}
registerProcessor('copy-only', CopyProcessor);
