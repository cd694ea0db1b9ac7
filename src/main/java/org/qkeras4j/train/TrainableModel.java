package org.qkeras4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.List;
import org.qkeras4j.layers.Weight;

/**
 * What the training loop needs from a model, and nothing more: a forward pass, the variables to
 * update, the regularization penalty, and a hook to apply weight constraints after each update.
 */
public interface TrainableModel {

  /** Runs the model; {@code training} switches dropout, batch statistics and stochastic quantizers. */
  NDList forward(NDList inputs, boolean training);

  /**
   * Runs the model and appends to {@code addedLosses} the losses its layers add while running
   * (Keras's activity regularization, already divided by the batch size), which the trainer adds
   * to the loss. Models without such losses keep the default, {@link #forward(NDList, boolean)}.
   */
  default NDList forward(NDList inputs, boolean training, List<NDArray> addedLosses) {
    return forward(inputs, training);
  }

  /** Variables the optimizer updates, in a stable order. */
  List<Weight> trainableWeights();

  /**
   * Every variable, trainable or not (batch-norm moving statistics too), in a stable order: what
   * EarlyStopping's restore_best_weights snapshots, as Keras's {@code get_weights()}. Models with
   * non-trainable state should override it; the default is the trainable weights.
   */
  default List<Weight> weights() {
    return trainableWeights();
  }

  /** Sum of the layers' regularization penalties for the current weights, or null if none. */
  NDArray regularizationLoss();

  /** Applies weight constraints (Keras applies them after every optimizer step). */
  void applyConstraints();
}
