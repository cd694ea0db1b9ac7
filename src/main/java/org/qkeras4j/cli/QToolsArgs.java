package org.qkeras4j.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.qkeras4j.model.Model;
import org.qkeras4j.tools.ModelSaveQuantizedWeights;
import org.qkeras4j.tools.qtools.QToolsOptions;
import org.qkeras4j.tools.qtools.QType;
import org.qkeras4j.tools.qtools.QTypes;
import picocli.CommandLine.Option;

/** The QTools options shared by {@code qtools} and {@code energy}. */
final class QToolsArgs {
  @Option(names = "--source-quantizer", paramLabel = "SPEC",
      description = "Type of the model inputs: a quantizer string or int8/int16/int32/fp16/fp32; "
          + "repeat once per input, or give one for all (default quantized_bits(8, 0, 1)).")
  List<String> sources;

  @Option(names = "--keras-quantizer", paramLabel = "TYPE",
      description = "Weight and bias type of unquantized layers (default quantized_bits(8, 0, 1)).")
  String kerasQuantizer;

  @Option(names = "--keras-accumulator", paramLabel = "TYPE",
      description = "Multiplier, accumulator and output type of unquantized layers (default quantized_bits(8, 0, 1)).")
  String kerasAccumulator;

  @Option(names = "--inference", description = "The model is trained: price power-of-two weights by their values.")
  boolean inference;

  @Option(names = "--reference", description = "Price the reference model: every layer at the keras types.")
  boolean reference;

  @Option(names = "--hw-weight-dict",
      description = "Quantize the weights for hardware (model_save_quantized_weights) and price each QConv2D / "
          + "QDepthwiseConv2D fused with the QBatchNormalization after it, as QTools with hw_weight_dict.")
  boolean hwWeightDict;

  /**
   * The options for {@code model}; with {@code --hw-weight-dict} the model's weights are first
   * quantized in place (QKeras's {@code model_save_quantized_weights}), which is what gives the
   * fusing pairs and the auto_po2 scales their values.
   */
  QToolsOptions options(Model model, Consumer<String> printFn) throws IOException {
    QToolsOptions o = options();
    if (!hwWeightDict) {
      return o;
    }
    return o.withBnFusing(ModelSaveQuantizedWeights.bnFusingPairs(ModelSaveQuantizedWeights.save(model, null, printFn)));
  }

  QToolsOptions options() {
    List<QType> s = null;
    if (sources != null) {
      s = new ArrayList<>();
      for (String spec : sources) {
        s.add(QTypes.parse(spec));
      }
    }
    return new QToolsOptions(s, inference, kerasQuantizer == null ? null : QTypes.parse(kerasQuantizer),
        kerasAccumulator == null ? null : QTypes.parse(kerasAccumulator), reference);
  }
}
