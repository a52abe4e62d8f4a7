/** Internal: snapshot rows in a SQL table of VELES's schema, over JDBC. Not API. */
package io.veles.internal.db;
