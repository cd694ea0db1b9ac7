package org.qkeras4j.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import org.qkeras4j.engine.Engines;
import org.qkeras4j.keras.ModelLoader;
import org.qkeras4j.model.Model;
import org.qkeras4j.train.CrossentropyLoss;
import org.qkeras4j.train.Loss;
import org.qkeras4j.util.AtomicFiles;
import org.qkeras4j.util.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;

/** {@code qkeras4j train MODEL --data ... --out FILE}: fit a model and save it. */
@Command(
    name = "train",
    header = "Train a model on a dataset, save it, and report test metrics.",
    description = {
      "MODEL is any model file (Keras .json architecture, with --weights to start from given weights; .h5;",
      ".keras; or a qkeras4j model, whose weights training continues from).",
      "--data is fashion-mnist (full set if installed, else the bundled sample), fashion-mnist-sample,",
      "a directory with the four MNIST/Fashion-MNIST IDX files (pixels scaled to [0, 1]), or a .npz with",
      "x_train, y_train, x_test, y_test (used as they are). Integer or one-hot class labels train with",
      "cross-entropy (from probabilities when the model ends in softmax, from logits otherwise) and",
      "report accuracy; other targets need --loss.",
      "Optimizer: a qkeras4j model saved after training resumes its saved optimizer (config, slots,",
      "iteration count); --learning-rate replaces its rate and keeps its slots; --optimizer naming another",
      "class starts that one fresh. Any other model trains with a fresh --optimizer (default Adam).",
      "--initial-epoch N numbers the epochs from N+1 and, with --seed, shuffles them as epochs N+1... of",
      "one uninterrupted run would, so that a resumed run can repeat one exactly.",
      "Example:",
      "  qkeras4j train model.json --data fashion-mnist --epochs 3 --batch-size 128 --out model.qk4j \\",
      "      --metrics-json metrics.json"
    },
    mixinStandardHelpOptions = true,
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:ok", "1:training failed (e.g. NaN loss)", "2:invalid input (model, data or arguments)"})
public final class TrainCommand extends BaseCommand {

  @Mixin ModelOptions modelOptions;

  @Mixin DataOptions dataOptions;

  @Option(names = "--epochs", paramLabel = "N", defaultValue = "1", description = "Epochs (default ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--batch-size", paramLabel = "B", defaultValue = "32",
      description = "Batch size (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--learning-rate", paramLabel = "R",
      description = "The optimizer's learning rate (default: the saved optimizer's, else the Keras default of"
          + " the optimizer, 0.001 for Adam).")
  Double learningRate;

  @Option(names = "--optimizer", paramLabel = "NAME",
      description = "adam, sgd or rmsprop (default: the saved optimizer, resumed, else adam).")
  String optimizer;

  @Option(names = "--initial-epoch", paramLabel = "N", defaultValue = "0",
      description = "Epochs already run, to resume a run (Keras's initial_epoch; default ${DEFAULT-VALUE}).")
  int initialEpoch;

  @Option(names = "--validation-split", paramLabel = "F", defaultValue = "0",
      description = "Fraction of the training samples (the last ones) held out for validation.")
  double validationSplit;

  @Option(names = "--seed", paramLabel = "S", description = "Seed for shuffling and initialization, for repeatable runs.")
  Long seed;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to save the trained model (.qk4j).")
  Path out;

  @Option(names = "--metrics-json", paramLabel = "FILE", description = "Where to write history, test metrics and speed.")
  Path metricsJson;

  @Override
  protected int doCall() throws Exception {
    TrainingRun.Settings settings =
        new TrainingRun.Settings(epochs, batchSize, learningRate, seed, validationSplit, quiet ? 0 : 1, optimizer,
            initialEpoch);
    Engines.get();
    if (seed != null) {
      // Before the model exists, so its initial weights are repeatable too.
      Engines.seed(seed);
    }
    try (ModelLoader.Loaded loaded = modelOptions.load()) {
      Model model = loaded.model();
      info("read " + loaded.description());
      ModelData prepared = dataOptions.load(model);
      prepared.requireTrain(dataOptions.spec());
      Loss lossFunction = dataOptions.loss(prepared, model);
      info(prepared.description());
      info("loss: " + lossFunction.name()
          + (lossFunction instanceof CrossentropyLoss c && c.fromLogits() ? " (from logits)" : ""));
      PrintStream progress = WriterPrintStream.of(err());
      TrainingRun.Report report = TrainingRun.run(model, prepared, dataOptions.spec(), lossFunction,
          prepared.targets().metrics(), settings, progress, this::info);
      progress.flush();
      // The model and the metrics appear together or not at all.
      try (AtomicFiles.Batch files = new AtomicFiles.Batch()) {
        files.stagePath(out, model::save);
        if (metricsJson != null) {
          files.stage(metricsJson, o -> o.write(Json.MAPPER.writeValueAsBytes(report.toJson())));
        }
        files.commit();
      }
      if (report.test() != null) {
        out().println("test: " + TrainingRun.format(report.test()));
      }
      out().printf(java.util.Locale.ROOT, "samples/second: %.1f%n", report.samplesPerSecond());
      info("saved model to " + out.toAbsolutePath() + (metricsJson == null ? "" : ", metrics to "
          + metricsJson.toAbsolutePath()));
    }
    return OK;
  }
}
