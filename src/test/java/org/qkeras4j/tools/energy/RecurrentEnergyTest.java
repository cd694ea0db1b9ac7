package org.qkeras4j.tools.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.qkeras4j.engine.Engines;
import org.qkeras4j.layers.LayerRegistry;
import org.qkeras4j.layers.core.Dense;
import org.qkeras4j.model.Model;
import org.qkeras4j.tools.graph.ModelView;
import org.qkeras4j.tools.qtools.DataTypeMap;
import org.qkeras4j.tools.qtools.QToolsOptions;
import org.qkeras4j.tools.qtools.QTypes;

/**
 * The QKeras-Mod notebook's energy profile of
 * {@code Sequential([SimpleRNN(8, activation='relu', input_shape=(5, 1)), Dense(1, activation='relu')])}:
 * QTools has no model for recurrent layers, so the SimpleRNN passes its input type through and
 * costs only the reading and writing of activations.
 */
class RecurrentEnergyTest {

  static Model notebookModel() {
    Engines.get();
    return Model.sequential(new long[] {5, 1},
        LayerRegistry.create("SimpleRNN", Map.of("units", 8, "activation", "relu", "name", "SimpleRNN")),
        Dense.builder().units(1).activation("relu").name("dense").build());
  }

  @Test
  void simpleRnnModelGivesTheNotebookEnergyProfile() {
    try (Model model = notebookModel()) {
      QToolsOptions o = QToolsOptions.defaults()
          .withSources(List.of(QTypes.parse("quantized_bits(8, 0, 1)")))
          .withKerasTypes(QTypes.reference("fp32"), QTypes.reference("fp32"))
          .withForReference(true)
          .withInference(false);
      DataTypeMap map = DataTypeMap.generate(ModelView.of(model), o);
      QEnergy.Report r = QEnergy.estimate(map,
          new EnergyOptions(Memory.SRAM, Memory.SRAM, 8L * 16 * 1024 * 1024, false), EnergyModel.horowitz());
      IncludeEnergy rules = IncludeEnergy.defaults();
      QEnergy.LayerEnergy rnn = r.layer("SimpleRNN");
      assertEquals(3.8, round(rnn.inputs()));
      assertEquals(3.8, round(rnn.outputs()));
      assertEquals(0.0, round(rnn.parameters()));
      assertEquals(0.0, round(rnn.opCost()));
      assertEquals(3.8, round(rnn.total(rules)));
      QEnergy.LayerEnergy dense = r.layer("dense");
      assertEquals(3.8, round(dense.inputs()));
      assertEquals(36.8, round(dense.opCost()));
      assertEquals(3.8, round(dense.outputs()));
      assertEquals(19.02, round(dense.parameters()));
      assertEquals(59.62, round(dense.total(rules)));
    }
  }

  /** The notebook prints values rounded to two decimals. */
  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
