package org.qkeras4j.tools.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.qkeras4j.autoq.BitsCost;
import org.qkeras4j.model.Model;
import org.qkeras4j.tools.DescribedNetwork;
import org.qkeras4j.tools.GoldenModels;
import org.qkeras4j.tools.energy.EnergyModel;
import org.qkeras4j.tools.energy.EnergyOptions;
import org.qkeras4j.tools.energy.Memory;
import org.qkeras4j.tools.energy.QEnergy;
import org.qkeras4j.tools.graph.ModelView;
import org.qkeras4j.tools.graph.NetworkView;
import org.qkeras4j.tools.qstats.QStats;
import org.qkeras4j.tools.qtools.DataTypeMap;
import org.qkeras4j.tools.qtools.DataTypeMapJson;
import org.qkeras4j.tools.qtools.QToolsOptions;

/**
 * Every golden accounting model is built as a real {@link Model} (the conformance tests check the
 * real models against the golden values); print_qstats, the data-type map, the energy and the bits
 * cost of the real model must equal those of its {@link DescribedNetwork}, so the unit tests that
 * read descriptions (networks no registered class builds) compute what a real model would.
 */
class RealModelAgreementTest {

  static List<JsonNode[]> models() {
    List<JsonNode[]> out = new ArrayList<>();
    for (JsonNode c : GoldenCases.where(c -> List.of("qstats", "qtools_datatype_map", "energy", "forgiving_factor")
        .contains(c.get("kind").asText()))) {
      JsonNode m = c.get("model");
      if (m == null || c.path("expected").has("raises")) {
        continue;
      }
      List<JsonNode> descriptions = m.has("layers") ? List.of(m) : List.of(m.get("float_model"), m.get("quantized_model"));
      for (JsonNode d : descriptions) {
        if (d != null) {
          out.add(new JsonNode[] {c.get("id"), d});
        }
      }
    }
    return out;
  }

  @TestFactory
  Stream<DynamicTest> realModelsAgreeWithTheirDescriptions() {
    List<JsonNode[]> all = models();
    assertFalse(all.isEmpty());
    return all.stream().map(p -> DynamicTest.dynamicTest(p[0].asText(), () -> agree(p[1])));
  }

  private static void agree(JsonNode description) {
    NetworkView described = DescribedNetwork.of(description);
    try (Model model = GoldenModels.build(description)) {
      ModelView real = ModelView.of(model);
      assertEquals(QStats.report(QStats.extract(described), null), QStats.report(QStats.extract(real), null));
      QToolsOptions o = QToolsOptions.defaults();
      assertEquals(DataTypeMapJson.toJson(DataTypeMap.generate(described, o)),
          DataTypeMapJson.toJson(DataTypeMap.generate(real, o)));
      EnergyOptions eo = new EnergyOptions(Memory.SRAM, Memory.DRAM, 0, true);
      assertEquals(QEnergy.estimate(DataTypeMap.generate(described, o), eo, EnergyModel.horowitz()),
          QEnergy.estimate(DataTypeMap.generate(real, o), eo, EnergyModel.horowitz()));
      assertEquals(BitsCost.defaults().measure(described), BitsCost.defaults().measure(real));
    }
  }
}
