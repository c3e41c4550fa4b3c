/**
 * The Fleetwire device agent's public API. Everything under {@code io.fleetwire.agent.internal} may
 * change without notice.
 */
package io.fleetwire.agent;
