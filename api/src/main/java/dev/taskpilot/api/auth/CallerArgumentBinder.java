package dev.taskpilot.api.auth;

import io.micronaut.core.convert.ArgumentConversionContext;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.bind.binders.TypedRequestArgumentBinder;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.filters.SecurityFilter;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Binds a controller argument of type {@link Caller} from the request's authentication. The
 * security rules run first, so a route that takes a caller is never reached without one.
 */
@Singleton
class CallerArgumentBinder implements TypedRequestArgumentBinder<Caller> {
  private static final Argument<Caller> TYPE = Argument.of(Caller.class);

  @Override
  public BindingResult<Caller> bind(
      ArgumentConversionContext<Caller> context, HttpRequest<?> source) {
    if (!source.getAttributes().contains(SecurityFilter.KEY)) {
      return BindingResult.unsatisfied();
    }
    Optional<Caller> caller = source.getUserPrincipal(Authentication.class).map(Caller::of);
    return caller.isPresent() ? () -> caller : BindingResult.empty();
  }

  @Override
  public Argument<Caller> argumentType() {
    return TYPE;
  }
}
