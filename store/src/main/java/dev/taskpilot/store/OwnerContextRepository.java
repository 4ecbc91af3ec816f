package dev.taskpilot.store;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

/** Standing contexts by owner. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface OwnerContextRepository extends CrudRepository<OwnerContextRecord, String> {}
