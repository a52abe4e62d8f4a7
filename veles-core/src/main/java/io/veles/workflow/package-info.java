/**
 * The workflow model: {@link io.veles.workflow.Unit}s linked by control and data links inside a
 * {@link io.veles.workflow.Workflow}, run from a start point to an end point. Applications extend
 * these classes; everything they hold is captured by a snapshot unless marked transient.
 */
package io.veles.workflow;
