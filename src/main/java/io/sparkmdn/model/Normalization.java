package io.sparkmdn.model;

/**
 * The standardisation of inputs and labels a model was trained with; the model applies {@code x} to its
 * inputs and returns mixtures mapped back through {@code y}, so callers only ever see their own units.
 *
 * @param x statistics of the input features
 * @param y statistics of the labels
 */
public record Normalization(Standardizer x, Standardizer y) {
}
