package org.qkeras4j.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.PrintStream;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.LongSupplier;
import org.qkeras4j.data.Batching;
import org.qkeras4j.data.Dataset;
import org.qkeras4j.data.HostTensor;
import org.qkeras4j.data.Transforms;
import org.qkeras4j.engine.Engines;
import org.qkeras4j.layers.Weight;

/**
 * Keras's compiled model, for any {@link TrainableModel}: {@link #fit}, {@link #evaluate} and
 * {@link #predict} with Keras semantics and output.
 *
 * <p>Each step runs in its own sub-NDManager and {@link NDScope}, so every temporary (batch
 * tensors, activations, quantized kernels computed from the parameters, gradients) is closed when
 * the step ends; only the parameters and the optimizer's slots live on. After each optimizer
 * update the model's constraints are applied, as Keras does.
 */
public final class Trainer implements AutoCloseable {
  private final TrainableModel model;
  private final Optimizer optimizer;
  private final Loss loss;
  private final List<String> metricNames;
  private PrintStream out = System.out;
  private Boolean interactive;
  private LongSupplier clock = System::nanoTime;
  private NDManager manager;
  private volatile boolean stopRequested;
  private String failure;

  /**
   * Keras's {@code compile}: the optimizer and loss as instances, names or configs
   * ({@code "adam"}, {@code "categorical_crossentropy"}), metrics by Keras name.
   */
  public Trainer(TrainableModel model, Object optimizer, Object loss, String... metrics) {
    this.model = Objects.requireNonNull(model, "model");
    this.optimizer = Optimizers.get(Objects.requireNonNull(optimizer, "optimizer"));
    this.loss = Losses.get(Objects.requireNonNull(loss, "loss"));
    for (String m : metrics) {
      Metrics.checkName(m);
    }
    this.metricNames = List.of(metrics);
  }

  /** Same as the constructor, reading like Keras: {@code Trainer.compile(model, "adam", "mse")}. */
  public static Trainer compile(TrainableModel model, Object optimizer, Object loss, String... metrics) {
    return new Trainer(model, optimizer, loss, metrics);
  }

  public TrainableModel model() {
    return model;
  }

  public Optimizer optimizer() {
    return optimizer;
  }

  public Loss loss() {
    return loss;
  }

  public List<String> metricNames() {
    return metricNames;
  }

  /** Where progress goes (default {@code System.out}). */
  public Trainer setOutput(PrintStream out) {
    this.out = Objects.requireNonNull(out, "out");
    return this;
  }

  /**
   * Forces the progress display mode: true redraws a bar with carriage returns, false prints one
   * line per epoch. By default it is true only when {@code System.console()} exists.
   */
  public Trainer setInteractive(boolean interactive) {
    this.interactive = interactive;
    return this;
  }

  /** The nanosecond clock of the progress display (tests use a fake one). */
  public Trainer setClock(LongSupplier clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** Asks {@link #fit} to stop after the current batch (Keras's {@code model.stop_training = True}). */
  public void stopTraining() {
    stopRequested = true;
  }

  public boolean isStopRequested() {
    return stopRequested;
  }

  /** Stops training and makes {@link #fit} throw a {@link TrainingException} with {@code message}. */
  public void fail(String message) {
    failure = message;
    stopRequested = true;
  }

  /** Trains on {@code data} with Keras's default arguments (batch 32, 1 epoch, shuffled). */
  public History fit(Dataset data) {
    return fit(data, FitOptions.defaults());
  }

  /**
   * Keras's {@code fit}. Validation comes from {@link FitOptions#validationData()} or else the
   * last {@code validation_split} of {@code data} (before shuffling). Returns the History, which
   * is also the last callback to see each epoch's logs.
   *
   * @throws TrainingException if a callback failed the run (TerminateOnNaN) or the first step's
   *     gradients are unusable (all zero, or NaN in a named weight)
   */
  public History fit(Dataset data, FitOptions options) {
    requireTargets(data, "fit");
    Dataset train = data;
    Dataset validation = options.validationData();
    if (validation == null && options.validationSplit() > 0) {
      Dataset[] parts = data.splitLast(options.validationSplit());
      train = parts[0];
      validation = parts[1];
    }
    if (validation != null) {
      requireTargets(validation, "validation");
    }
    List<Weight> weights = model.trainableWeights();
    if (weights.isEmpty()) {
      throw new IllegalStateException("the model has no trainable weights; nothing to fit");
    }
    Random random = options.seed() != null ? new Random(options.seed()) : new Random();
    if (options.shuffle()) {
      // The orders of the skipped epochs are drawn and dropped, so that with a seed epoch e
      // shuffles the same way whether the run started at 0 or resumed at initial_epoch e.
      for (int e = 0; e < options.initialEpoch(); e++) {
        Batching.permutation(train.size(), random);
      }
    }
    if (options.seed() != null) {
      Engines.seed(options.seed());
    }
    optimizer.build(weights);
    stopRequested = false;
    failure = null;

    int steps = Batching.batchCount(train.size(), options.batchSize());
    History history = new History();
    List<Callback> callbacks = new ArrayList<>();
    if (options.verbose() > 0) {
      callbacks.add(new ProgbarLogger(options.epochs(), steps, options.verbose(), out, isInteractive(), clock));
    }
    callbacks.addAll(options.callbacks());
    callbacks.add(history);
    callbacks.forEach(c -> c.setTrainer(this));

    Map<String, Double> logs = new LinkedHashMap<>();
    callbacks.forEach(c -> c.onTrainBegin(logs));
    boolean firstStep = true;
    for (int epoch = options.initialEpoch(); epoch < options.epochs() && !stopRequested; epoch++) {
      for (Callback c : callbacks) {
        c.onEpochBegin(epoch, new LinkedHashMap<>());
      }
      int[] order = options.shuffle() ? Batching.permutation(train.size(), random) : Batching.identity(train.size());
      Accumulator acc = new Accumulator();
      Map<String, Double> batchLogs = new LinkedHashMap<>();
      for (int step = 0; step < steps; step++) {
        for (Callback c : callbacks) {
          c.onTrainBatchBegin(step, batchLogs);
        }
        int from = step * options.batchSize();
        int to = Math.min(train.size(), from + options.batchSize());
        Batch batch = Batch.of(train, order, from, to);
        if (firstStep) {
          checkLabels(train, validation);
        }
        trainStep(batch, options.classWeight(), firstStep, acc);
        firstStep = false;
        batchLogs = acc.logs("");
        for (Callback c : callbacks) {
          c.onTrainBatchEnd(step, batchLogs);
        }
        if (stopRequested) {
          break;
        }
      }
      Map<String, Double> epochLogs = new LinkedHashMap<>(batchLogs);
      if (validation != null && failure == null) {
        Map<String, Double> val = evaluateSilently(validation, options.batchSize());
        val.forEach((k, v) -> epochLogs.put("val_" + k, v));
      }
      for (Callback c : callbacks) {
        c.onEpochEnd(epoch, epochLogs);
      }
      logs.clear();
      logs.putAll(epochLogs);
    }
    callbacks.forEach(c -> c.onTrainEnd(logs));
    if (failure != null) {
      throw new TrainingException(failure, history);
    }
    return history;
  }

  /** Keras's {@code evaluate} with batch size 32 and a progress bar. */
  public Map<String, Double> evaluate(Dataset data) {
    return evaluate(data, 32, 1);
  }

  /** Keras's {@code evaluate}: the loss and metrics over {@code data}, by their Keras names. */
  public Map<String, Double> evaluate(Dataset data, int batchSize, int verbose) {
    requireTargets(data, "evaluate");
    int steps = Batching.batchCount(data.size(), batchSize);
    Progbar bar = verbose > 0 ? new Progbar(steps, verbose, out, isInteractive(), clock) : null;
    Accumulator acc = new Accumulator();
    int[] order = Batching.identity(data.size());
    for (int step = 0; step < steps; step++) {
      int from = step * batchSize;
      Batch batch = Batch.of(data, order, from, Math.min(data.size(), from + batchSize));
      testStep(batch, acc);
      if (bar != null) {
        bar.update(step + 1, acc.logs(""), step + 1 == steps);
      }
    }
    return acc.logs("");
  }

  private Map<String, Double> evaluateSilently(Dataset data, int batchSize) {
    return evaluate(data, batchSize, 0);
  }

  /** Keras's {@code predict} with batch size 32, silent. */
  public HostTensor predict(HostTensor x) {
    return predict(x, 32, 0);
  }

  /** Keras's {@code predict}: the model's (first) output (inference mode) for every sample of {@code x}. */
  public HostTensor predict(HostTensor x, int batchSize, int verbose) {
    return predict(List.of(x), batchSize, verbose);
  }

  /**
   * Keras's {@code predict} for a model with several inputs: {@code inputs} holds one tensor per
   * model input, in input order; returns the (first) output for every sample.
   */
  public HostTensor predict(List<HostTensor> inputs, int batchSize, int verbose) {
    int steps = Batching.batchCount(inputs.get(0).rows(), batchSize);
    Progbar bar = verbose > 0 ? new Progbar(steps, verbose, out, isInteractive(), clock) : null;
    return Inference.predict(model, inputs, batchSize, bar, workManager());
  }

  private void trainStep(Batch batch, Map<Integer, Double> classWeight, boolean firstStep, Accumulator acc) {
    List<Weight> weights = model.trainableWeights();
    try (NDManager sm = workManager().newSubManager(); NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDList x = batch.inputArrays(sm);
      NDArray y = Batch.array(sm, batch.y());
      float[] lossWeights = sampleWeights(batch, classWeight);
      NDArray sampleWeight = lossWeights == null ? null
          : sm.create(FloatBuffer.wrap(lossWeights), new Shape(batch.size()));
      NDArray pred;
      NDArray total;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        List<NDArray> added = new ArrayList<>();
        pred = model.forward(x, true, added).head();
        total = withRegularization(loss.compute(y, pred, sampleWeight), added);
        try {
          collector.backward(total);
        } catch (ai.djl.engine.EngineException e) {
          if (!firstStep) {
            throw e;
          }
          throw new TrainingException("first training step: backward pass failed (" + e.getMessage() + "); is the"
              + " loss connected to any trainable weight " + weights + "? Check that the model's forward pass uses"
              + " its weights and does not detach its output", null);
        }
      }
      List<NDArray> grads = new ArrayList<>(weights.size());
      for (Weight w : weights) {
        grads.add(w.value().getGradient());
      }
      if (firstStep) {
        checkGradients(weights, grads);
      }
      optimizer.apply(weights, grads);
      for (NDArray g : grads) {
        // PyTorch accumulates into .grad; clear it for the next step.
        g.set(new NDIndex("..."), 0f);
      }
      model.applyConstraints();
      acc.add(total.getFloat(), batch, Inference.toHost(pred));
    }
  }

  private void testStep(Batch batch, Accumulator acc) {
    try (NDManager sm = workManager().newSubManager(); NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray y = Batch.array(sm, batch.y());
      List<NDArray> added = new ArrayList<>();
      NDArray pred = model.forward(batch.inputArrays(sm), false, added).head();
      NDArray sampleWeight = batch.sampleWeight() == null ? null : Batch.array(sm, batch.sampleWeight());
      NDArray total = withRegularization(loss.compute(y, pred, sampleWeight), added);
      acc.add(total.getFloat(), batch, Inference.toHost(pred));
    }
  }

  /**
   * The loss Keras minimizes and reports: the compiled loss plus the weights' regularization
   * penalties plus the losses the layers added during the forward pass (activity regularization).
   */
  private NDArray withRegularization(NDArray compiledLoss, List<NDArray> addedLosses) {
    NDArray total = compiledLoss;
    NDArray reg = model.regularizationLoss();
    if (reg != null) {
      total = total.add(reg);
    }
    for (NDArray a : addedLosses) {
      total = total.add(a);
    }
    return total;
  }

  /** Fails loudly when the first step cannot train: a NaN gradient, or nothing but zeros. */
  private static void checkGradients(List<Weight> weights, List<NDArray> grads) {
    boolean anyNonZero = false;
    for (int i = 0; i < grads.size(); i++) {
      NDArray g = grads.get(i);
      if (g.isNaN().any().getBoolean()) {
        Weight w = weights.get(i);
        throw new TrainingException("first training step: the gradient of trainable weight #" + i + " '" + w.name()
            + "' " + w.value().getShape() + " contains NaN; check the inputs, the loss and the layers' math", null);
      }
      if (!anyNonZero && g.abs().max().getFloat() > 0) {
        anyNonZero = true;
      }
    }
    if (!anyNonZero) {
      throw new TrainingException("first training step: every gradient is zero (" + weights
          + "); the loss does not reach the trainable weights (a detached output, a quantizer without a"
          + " straight-through gradient, or dead activations)", null);
    }
  }

  /** With sparse labels, every label must be a class index the model outputs; checked once. */
  private void checkLabels(Dataset train, Dataset validation) {
    if (!loss.sparseLabels()) {
      return;
    }
    long[] out = Inference.predict(model, train.slice(0, 1).inputs(), 1, null, workManager()).shape();
    int classes = (int) out[out.length - 1];
    for (Dataset d : validation == null ? List.of(train) : List.of(train, validation)) {
      float[] labels = d.y().data();
      for (int i = 0; i < labels.length; i++) {
        Transforms.classIndex(labels[i], classes, i);
      }
    }
  }

  /**
   * The batch's loss weight per sample, as Keras's fit derives it: the {@code sample_weight}
   * times the {@code class_weight} of the sample's class (argmax of a one-hot row, else the
   * label), either alone when the other is absent; null when neither is given.
   */
  private static float[] sampleWeights(Batch batch, Map<Integer, Double> classWeight) {
    float[] given = batch.sampleWeight() == null ? null : batch.sampleWeight().data();
    if (classWeight == null) {
      return given;
    }
    HostTensor y = batch.y();
    int n = y.rows();
    int k = y.rowSize();
    int[] classes = k > 1 ? y.argmax() : null;
    float[] w = new float[n];
    for (int i = 0; i < n; i++) {
      int c = classes != null ? classes[i] : Math.round(y.data()[i]);
      Double weight = classWeight.get(c);
      if (weight == null) {
        throw new IllegalArgumentException("class_weight has no weight for class " + c + " (sample " + i
            + " of the batch); it has " + classWeight.keySet());
      }
      w[i] = given == null ? weight.floatValue() : given[i] * weight.floatValue();
    }
    return w;
  }

  private static void requireTargets(Dataset d, String what) {
    if (d == null || !d.hasTargets()) {
      throw new IllegalArgumentException(what + " needs a dataset with targets (y)");
    }
    if (d.size() == 0) {
      throw new IllegalArgumentException(what + " got an empty dataset");
    }
  }

  private boolean isInteractive() {
    return interactive != null ? interactive : System.console() != null;
  }

  /** A sub-manager of the parameters' manager, so one count of live arrays covers everything. */
  private NDManager workManager() {
    if (manager == null) {
      manager = Inference.newWorkManager(model);
    }
    return manager;
  }

  /** Releases the trainer's working memory and the optimizer's slots. */
  @Override
  public void close() {
    closeWorkMemory();
    optimizer.close();
  }

  /**
   * Releases the trainer's working memory but leaves the optimizer (its slots and iteration
   * count) alive: for a recompilation that hands the same optimizer instance to a new trainer,
   * as Keras's {@code model.compile(optimizer=model.optimizer, ...)} keeps its state.
   */
  public void closeWorkMemory() {
    if (manager != null) {
      manager.close();
      manager = null;
    }
  }

  /**
   * Running loss (weighted by batch size, as Keras's loss tracker) and metrics over the batches
   * of one epoch or evaluation.
   */
  private final class Accumulator {
    private double lossSum;
    private long samples;
    private List<Metric> metrics;

    void add(float batchLoss, Batch batch, HostTensor pred) {
      if (metrics == null) {
        metrics = new ArrayList<>();
        for (String name : metricNames) {
          metrics.add(Metrics.create(name, batch.y().shape(), pred.shape()));
        }
      }
      lossSum += (double) batchLoss * batch.size();
      samples += batch.size();
      for (Metric m : metrics) {
        m.update(batch.y(), pred);
      }
    }

    Map<String, Double> logs(String prefix) {
      Map<String, Double> logs = new LinkedHashMap<>();
      logs.put(prefix + "loss", samples == 0 ? Double.NaN : lossSum / samples);
      if (metrics != null) {
        for (Metric m : metrics) {
          logs.put(prefix + m.name(), m.result());
        }
      }
      return logs;
    }
  }

  @Override
  public String toString() {
    return "Trainer(" + optimizer.className() + ", " + loss.name() + ", metrics=" + metricNames + ")";
  }
}
