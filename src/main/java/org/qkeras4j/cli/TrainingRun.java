package org.qkeras4j.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.qkeras4j.data.Dataset;
import org.qkeras4j.model.Model;
import org.qkeras4j.train.FitOptions;
import org.qkeras4j.train.History;
import org.qkeras4j.train.Loss;
import org.qkeras4j.train.Optimizer;
import org.qkeras4j.train.Optimizers;
import org.qkeras4j.train.PyFloat;
import org.qkeras4j.train.Trainer;
import org.qkeras4j.train.TrainingTimer;

/**
 * What {@code train} and {@code quickstart} share: choose the optimizer (the saved one of a
 * compiled model, resumed, unless another is asked for; else a fresh one, Adam by default),
 * compile, fit (progress on the command's stderr), evaluate the test split, and the metrics JSON
 * ({@code {"history": {...}, "test": {...}, "samples_per_second": ...}}).
 */
final class TrainingRun {
  private static final String DEFAULT_OPTIMIZER = "adam";

  /**
   * The fit arguments the commands expose. {@code optimizer} (a Keras name) and
   * {@code learningRate} are null when not given; {@code epochs} are run after
   * {@code initialEpoch} (Keras's {@code fit(epochs=initialEpoch + epochs, initial_epoch=...)}).
   */
  record Settings(int epochs, int batchSize, Double learningRate, Long seed, double validationSplit, int verbose,
      String optimizer, int initialEpoch) {
    Settings {
      if (epochs < 1) {
        throw BaseCommand.invalid("--epochs must be at least 1, got " + epochs);
      }
      if (batchSize < 1) {
        throw BaseCommand.invalid("--batch-size must be at least 1, got " + batchSize);
      }
      if (learningRate != null && (!(learningRate > 0) || Double.isInfinite(learningRate))) {
        throw BaseCommand.invalid("--learning-rate must be a positive number, got " + learningRate);
      }
      if (!(validationSplit >= 0 && validationSplit < 1)) {
        throw BaseCommand.invalid("--validation-split must be in [0, 1), got " + validationSplit);
      }
      if (initialEpoch < 0) {
        throw BaseCommand.invalid("--initial-epoch must be >= 0, got " + initialEpoch);
      }
      if (optimizer != null) {
        try {
          Optimizers.get(optimizer);
        } catch (IllegalArgumentException e) {
          throw BaseCommand.invalid("--optimizer " + optimizer + ": " + e.getMessage());
        }
      }
    }

    /** Fresh Adam at Keras's defaults from epoch 0: what a new model trains with. */
    static Settings fresh(int epochs, int batchSize, Long seed, int verbose) {
      return new Settings(epochs, batchSize, null, seed, 0, verbose, null, 0);
    }

    Settings withEpochs(int n) {
      return new Settings(n, batchSize, learningRate, seed, validationSplit, verbose, optimizer, initialEpoch);
    }
  }

  /** The outcome: per-epoch history, test scores (null without a test split) and throughput. */
  record Report(History history, Map<String, Double> test, double samplesPerSecond, double seconds, int trainSamples,
      String loss, Settings settings, String data, String optimizer, double learningRate) {

    Map<String, Object> toJson() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("history", history.history());
      json.put("test", test);
      json.put("samples_per_second", samplesPerSecond);
      json.put("training_seconds", seconds);
      json.put("epochs", history.epochs().size());
      json.put("batch_size", settings.batchSize());
      json.put("optimizer", optimizer);
      json.put("learning_rate", learningRate);
      json.put("train_samples", trainSamples);
      json.put("loss_function", loss);
      json.put("data", data);
      return json;
    }
  }

  private TrainingRun() {}

  /**
   * Compiles {@code model} with {@link #optimizer the chosen optimizer} and {@code loss}, trains
   * on {@code data}'s training split, tests. {@code info} gets the line saying which optimizer.
   */
  static Report run(Model model, ModelData data, String dataSpec, Loss loss, String[] metrics, Settings s,
      PrintStream progress, Consumer<String> info) {
    Dataset train = data.requireTrain(dataSpec);
    Dataset validation = null;
    if (s.validationSplit() > 0) {
      Dataset[] parts;
      try {
        parts = train.splitLast(s.validationSplit());
      } catch (IllegalArgumentException e) {
        throw BaseCommand.invalid("--validation-split " + s.validationSplit() + ": " + e.getMessage());
      }
      train = parts[0];
      validation = parts[1];
    }
    Trainer trainer = model.compile(optimizer(model, s, info), loss, metrics);
    trainer.setOutput(progress);
    double learningRate = trainer.optimizer().learningRate();
    TrainingTimer timer = new TrainingTimer();
    FitOptions.Builder options = FitOptions.builder().optEpochs(s.initialEpoch() + s.epochs())
        .optInitialEpoch(s.initialEpoch()).optBatchSize(s.batchSize())
        .optVerbose(s.verbose()).optValidationData(validation).addCallback(timer);
    if (s.seed() != null) {
      options.optSeed(s.seed());
    }
    History history = model.fit(train, options.build());
    Map<String, Double> test = data.test() == null ? null : model.evaluate(data.test(), s.batchSize(), 0);
    long samples = (long) train.size() * history.epochs().size();
    return new Report(history, test, timer.samplesPerSecond(samples), timer.seconds(), train.size(), loss.name(), s,
        data.description(), trainer.optimizer().className(), learningRate);
  }

  /**
   * The optimizer to train with. A model loaded compiled (a qkeras4j archive saved after
   * compile) resumes its saved optimizer, config, slots and iteration count, unless
   * {@code --optimizer} names another class; {@code --learning-rate} then replaces its rate and
   * keeps its slots (refused when it follows a schedule). Otherwise a fresh optimizer, Adam by
   * default, at its Keras defaults or the given rate.
   */
  static Optimizer optimizer(Model model, Settings s, Consumer<String> info) {
    Optimizer saved = model.isCompiled() ? model.trainer().optimizer() : null;
    Optimizer fresh = Optimizers.get(s.optimizer() != null ? s.optimizer() : DEFAULT_OPTIMIZER);
    if (saved != null && (s.optimizer() == null || saved.className().equals(fresh.className()))) {
      if (s.learningRate() != null) {
        if (saved.schedule() != null) {
          throw BaseCommand.invalid("--learning-rate " + s.learningRate() + ": the saved " + saved.className()
              + " optimizer follows a " + saved.schedule().className() + " schedule, which a constant rate"
              + " cannot replace; give --optimizer to start a fresh optimizer instead");
        }
        saved.setLearningRate(s.learningRate());
      }
      info.accept(String.format(Locale.ROOT, "optimizer: resuming the saved %s at iteration %d, learning rate %s%s",
          saved.className(), saved.iterations(), PyFloat.repr((float) saved.learningRate()),
          s.learningRate() != null ? " (from --learning-rate; its slots kept)" : ""));
      return saved;
    }
    if (s.learningRate() != null) {
      fresh.setLearningRate(s.learningRate());
    }
    info.accept("optimizer: a fresh " + fresh.className() + ", learning rate " + PyFloat.repr((float) fresh.learningRate())
        + (saved != null ? " (--optimizer " + s.optimizer() + "; the saved " + saved.className()
            + " optimizer's state is not used)" : ""));
    return fresh;
  }

  /** {@code loss: 0.3012 - accuracy: 0.8923} from evaluate's scores. */
  static String format(Map<String, Double> scores) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Double> e : scores.entrySet()) {
      if (sb.length() > 0) {
        sb.append(" - ");
      }
      sb.append(e.getKey()).append(": ").append(String.format(java.util.Locale.ROOT, "%.4f", e.getValue()));
    }
    return sb.toString();
  }
}
