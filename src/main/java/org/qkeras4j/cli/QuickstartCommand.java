package org.qkeras4j.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import org.qkeras4j.data.FashionMnist;
import org.qkeras4j.engine.Engines;
import org.qkeras4j.model.ExampleModels;
import org.qkeras4j.model.Model;
import org.qkeras4j.train.Loss;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code qkeras4j quickstart}: the QKeras tutorial's quantized CNN (seed 002) trained on
 * Fashion-MNIST, end to end: summary, Keras progress, test accuracy, saved model.
 */
@Command(
    name = "quickstart",
    header = "Train the QKeras tutorial's quantized CNN on Fashion-MNIST and save it.",
    description = {
      "The model: QConv2D(18, 3x3, kernel stochastic_ternary, bias quantized_po2(4)), QActivation",
      "quantized_relu(2), QConv2D(32, 3x3, same quantizers), QActivation quantized_relu(2), Flatten,",
      "QDense(10, kernel quantized_bits(3,0,1), bias quantized_bits(3)), softmax; Adam, batch 128.",
      "Images are scaled to [0, 1]; labels stay integers (sparse categorical cross-entropy).",
      "It uses the full Fashion-MNIST (60,000 + 10,000 images) when installed (Debian: dataset-fashion-mnist,",
      "/usr/share/datasets/fashion-mnist) and otherwise the 2,000 + 500 image sample bundled in the jar,",
      "and says which. Default epochs: 1 on the full set (about a minute on two idle cores), 5 on the sample.",
      "Examples:",
      "  qkeras4j quickstart",
      "  qkeras4j quickstart --epochs 5",
      "  qkeras4j quickstart --data fashion-mnist-sample"
    },
    mixinStandardHelpOptions = true,
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:ok", "1:training failed", "2:invalid input (data or arguments)"})
public final class QuickstartCommand extends BaseCommand {
  static final String DEFAULT_OUT = "quickstart-model.qk4j";

  static final int FULL_SET_EPOCHS = 1;
  static final int SAMPLE_EPOCHS = 5;

  @Option(names = "--epochs", paramLabel = "N",
      description = "Epochs (default " + FULL_SET_EPOCHS + " on the full set, " + SAMPLE_EPOCHS + " on the sample).")
  Integer epochs;

  @Option(names = "--data", paramLabel = "DATA", defaultValue = FashionMnist.NAME,
      description = "fashion-mnist (default: the full set if installed, else the bundled sample),"
          + " fashion-mnist-sample, or a directory with the four MNIST/Fashion-MNIST IDX files.")
  String data;

  @Option(names = "--batch-size", paramLabel = "B", defaultValue = "128",
      description = "Batch size (default ${DEFAULT-VALUE}, as the tutorial).")
  int batchSize;

  @Option(names = "--out", paramLabel = "FILE", defaultValue = DEFAULT_OUT,
      description = "Where to save the trained model (default ${DEFAULT-VALUE} in the current directory).")
  Path out;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Override
  protected int doCall() throws Exception {
    // Built (and so checked) before any loading; the default epochs follow the data.
    TrainingRun.Settings given =
        TrainingRun.Settings.fresh(epochs != null ? epochs : FULL_SET_EPOCHS, batchSize, seed, quiet ? 0 : 1);
    Engines.get();
    Engines.seed(seed);
    try (Model model = ExampleModels.build(ExampleModels.TUTORIAL_CNN_TERNARY)) {
      ModelData prepared = ModelData.load(data, model);
      prepared.requireTrain(data);
      prepared.requireTest(data);
      Loss loss = prepared.loss(model, null, data);
      TrainingRun.Settings settings = epochs != null || !prepared.sample() ? given : given.withEpochs(SAMPLE_EPOCHS);
      out().println("Data: " + prepared.description());
      if (epochs == null) {
        out().println("Epochs: " + settings.epochs() + " (the default on the " + (prepared.sample() ? "sample"
            : "full set") + "; --epochs N for more)");
      }
      model.summary(out()::println);
      out().flush();
      PrintStream progress = WriterPrintStream.of(err());
      TrainingRun.Report report = TrainingRun.run(model, prepared, data, loss, prepared.targets().metrics(), settings,
          progress, this::info);
      progress.flush();
      model.save(out);
      out().printf(Locale.ROOT, "Test loss: %.4f - test accuracy: %.4f (%d test images)%n", report.test().get("loss"),
          report.test().get("accuracy"), prepared.test().size());
      out().printf(Locale.ROOT, "Training speed: %.0f samples/second%n", report.samplesPerSecond());
      out().println("Saved the trained model to " + out.toAbsolutePath());
      out().println("Next: qkeras4j summary " + out + "   |   qkeras4j evaluate " + out + " --data " + data);
    }
    return OK;
  }
}
