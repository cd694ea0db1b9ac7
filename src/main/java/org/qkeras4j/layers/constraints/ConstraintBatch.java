package org.qkeras4j.layers.constraints;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.qkeras4j.engine.ScriptedFunction;

/**
 * The constraint projections of one optimizer step, gathered over a model's weights. Constraints
 * with an {@linkplain Constraint#inPlaceStatement in-place statement} run together in one fused
 * call at {@link #run}; the others project their weight when it is added.
 *
 * <p>Why: a model whose every weight has QKeras's automatic {@code Clip} would otherwise make one
 * call per weight after every step, which for a small network costs as much as a layer's forward
 * pass.
 */
public final class ConstraintBatch {
  private final List<NDArray> weights = new ArrayList<>();
  private final List<Constraint> constraints = new ArrayList<>();

  /** Projects {@code w} by {@code c}: now, or at {@link #run} when {@code c} can run fused. */
  public void add(NDArray w, Constraint c) {
    if (c.inPlaceStatement() != null && w.getDataType() == DataType.FLOAT32 && ScriptedFunction.isEnabled()) {
      weights.add(w);
      constraints.add(c);
    } else {
      c.projectInPlace(w);
    }
  }

  /** Runs the gathered in-place projections (one call for all of them) and empties the batch. */
  public void run() {
    if (weights.isEmpty()) {
      return;
    }
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < weights.size(); i++) {
      body.append("w = ws[").append(i).append("]\n").append(constraints.get(i).inPlaceStatement()).append('\n');
    }
    body.append("return ws[0]");
    Optional<ScriptedFunction> fused = ScriptedFunction.compile("ws: List[Tensor]", body.toString());
    if (fused.isPresent()) {
      fused.get().runInPlace(weights);
    } else {
      for (int i = 0; i < weights.size(); i++) {
        constraints.get(i).projectInPlace(weights.get(i));
      }
    }
    weights.clear();
    constraints.clear();
  }
}
