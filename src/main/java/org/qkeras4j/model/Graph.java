package org.qkeras4j.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.qkeras4j.layers.Layer;
import org.qkeras4j.layers.Node;
import org.qkeras4j.layers.SymbolicTensor;

/**
 * The layer graph between a model's inputs and outputs, ordered as Keras's
 * {@code _map_graph_network} orders it: nodes get a depth (outputs 0, growing towards the inputs),
 * layers are listed from the deepest (inputs) to the outputs, ties broken by the order in which a
 * walk back from the outputs first met them. Fails for cycles, disconnected graphs and duplicate
 * layer names.
 */
final class Graph {
  private final List<Node> executionOrder = new ArrayList<>();
  private final Map<Integer, List<Node>> nodesByDepth = new TreeMap<>(Collections.reverseOrder());
  private final List<Layer> layers = new ArrayList<>();
  private final Set<Node> networkNodes = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Map<Node, Node> soleConsumers = new IdentityHashMap<>();

  Graph(List<SymbolicTensor> inputs, List<SymbolicTensor> outputs) {
    for (SymbolicTensor in : inputs) {
      if (!in.node().isInput()) {
        throw new IllegalArgumentException("model inputs must be the outputs of input layers (Input(...)); "
            + in + " comes from " + in.layer().describe());
      }
    }
    List<Node> nodesInDecreasingDepth = new ArrayList<>();
    Map<Layer, Integer> layerIndices = new IdentityHashMap<>();
    Set<Node> finished = Collections.newSetFromMap(new IdentityHashMap<>());
    Set<Node> inProgress = Collections.newSetFromMap(new IdentityHashMap<>());
    for (SymbolicTensor out : outputs) {
      visit(out, finished, inProgress, nodesInDecreasingDepth, layerIndices);
    }
    networkNodes.addAll(nodesInDecreasingDepth);

    // Insertion order (first time a node gets a depth) is the order of nodes within a depth.
    Map<Node, Integer> nodeDepths = new LinkedHashMap<>();
    Map<Layer, Integer> layerDepths = new IdentityHashMap<>();
    for (int i = nodesInDecreasingDepth.size() - 1; i >= 0; i--) {
      Node node = nodesInDecreasingDepth.get(i);
      int depth = nodeDepths.getOrDefault(node, 0);
      depth = Math.max(depth, layerDepths.getOrDefault(node.layer(), 0));
      layerDepths.put(node.layer(), depth);
      nodeDepths.put(node, depth);
      for (SymbolicTensor parent : node.inputs()) {
        Node dep = parent.node();
        nodeDepths.put(dep, Math.max(depth + 1, nodeDepths.getOrDefault(dep, 0)));
      }
    }
    // Inputs the outputs do not depend on still belong to the model.
    for (SymbolicTensor in : inputs) {
      Layer inputLayer = in.layer();
      if (!layerDepths.containsKey(inputLayer)) {
        layerDepths.put(inputLayer, 0);
        layerIndices.put(inputLayer, -1);
        nodeDepths.put(in.node(), 0);
        networkNodes.add(in.node());
      }
    }
    for (Map.Entry<Node, Integer> e : nodeDepths.entrySet()) {
      nodesByDepth.computeIfAbsent(e.getValue(), d -> new ArrayList<>()).add(e.getKey());
    }
    Map<Integer, List<Layer>> layersByDepth = new TreeMap<>(Collections.reverseOrder());
    for (Map.Entry<Layer, Integer> e : layerDepths.entrySet()) {
      layersByDepth.computeIfAbsent(e.getValue(), d -> new ArrayList<>()).add(e.getKey());
    }
    for (List<Layer> atDepth : layersByDepth.values()) {
      atDepth.sort((a, b) -> Integer.compare(layerIndices.get(a), layerIndices.get(b)));
      layers.addAll(atDepth);
    }

    // Every tensor a layer needs must be computable from the inputs.
    Set<SymbolicTensor> computable = Collections.newSetFromMap(new IdentityHashMap<>());
    computable.addAll(inputs);
    List<String> reached = new ArrayList<>();
    for (List<Node> atDepth : nodesByDepth.values()) {
      for (Node node : atDepth) {
        if (!node.isInput()) {
          for (SymbolicTensor x : node.inputs()) {
            if (!computable.contains(x)) {
              throw new IllegalArgumentException("graph disconnected: cannot obtain value for " + x + " at "
                  + node.layer().describe() + "; it depends on an input the model was not given."
                  + " Layers reached without issue: " + reached);
            }
          }
          executionOrder.add(node);
        } else if (!inputs.contains(node.outputs().get(0))) {
          throw new IllegalArgumentException("graph disconnected: the outputs depend on input layer '"
              + node.layer().name() + "', which is not among the model's inputs");
        }
        computable.addAll(node.outputs());
        reached.add(node.layer().name());
      }
    }

    findSoleConsumers(outputs);

    Set<String> names = new HashSet<>();
    for (Layer layer : layers) {
      if (!names.add(layer.name())) {
        long count = layers.stream().filter(l -> l.name().equals(layer.name())).count();
        throw new IllegalArgumentException("the name \"" + layer.name() + "\" is used " + count
            + " times in the model; all layer names should be unique");
      }
    }
  }

  private static void visit(SymbolicTensor tensor, Set<Node> finished, Set<Node> inProgress, List<Node> order,
      Map<Layer, Integer> layerIndices) {
    Node node = tensor.node();
    if (finished.contains(node)) {
      return;
    }
    if (inProgress.contains(node)) {
      throw new IllegalArgumentException(tensor + " at " + node.layer().describe() + " is part of a cycle");
    }
    layerIndices.putIfAbsent(node.layer(), layerIndices.size());
    inProgress.add(node);
    for (SymbolicTensor in : node.inputs()) {
      visit(in, finished, inProgress, order, layerIndices);
    }
    finished.add(node);
    inProgress.remove(node);
    order.add(node);
  }

  /**
   * For each node with one output that is not a model output, the node consuming it when there
   * is exactly one and that node has one input and one output: the pairs a layer and the
   * activation after it may run as one fused call.
   */
  private void findSoleConsumers(List<SymbolicTensor> outputs) {
    Map<SymbolicTensor, List<Node>> consumers = new IdentityHashMap<>();
    for (Node node : executionOrder) {
      for (SymbolicTensor in : node.inputs()) {
        consumers.computeIfAbsent(in, t -> new ArrayList<>()).add(node);
      }
    }
    Set<SymbolicTensor> modelOutputs = Collections.newSetFromMap(new IdentityHashMap<>());
    modelOutputs.addAll(outputs);
    for (Node node : executionOrder) {
      if (node.outputs().size() != 1 || modelOutputs.contains(node.outputs().get(0))) {
        continue;
      }
      List<Node> users = consumers.get(node.outputs().get(0));
      if (users != null && users.size() == 1 && users.get(0).inputs().size() == 1
          && users.get(0).outputs().size() == 1) {
        soleConsumers.put(node, users.get(0));
      }
    }
  }

  /** The only consumer of {@code node}'s single output (see findSoleConsumers), or null. */
  Node soleConsumer(Node node) {
    return soleConsumers.get(node);
  }

  /** Non-input nodes in an order where every node follows the nodes it consumes. */
  List<Node> executionOrder() {
    return executionOrder;
  }

  /** The model's layers in Keras order (inputs first). */
  List<Layer> layers() {
    return layers;
  }

  /** Nodes grouped by depth, deepest first. */
  Map<Integer, List<Node>> nodesByDepth() {
    return nodesByDepth;
  }

  /** True when the node is part of this model (a shared layer may have nodes elsewhere). */
  boolean contains(Node node) {
    return networkNodes.contains(node);
  }
}
