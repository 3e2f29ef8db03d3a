package dev.skiff.api.kinds;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.ResourceStrategy;
import java.util.List;

/**
 * Create-only review kinds (TokenReview, SelfSubjectReview, SelfSubjectRulesReview): the body is a
 * question answered in the response and never stored, so it needs no name and upstream checks no
 * metadata. Kinds with spec rules extend this.
 */
public class ReviewStrategy implements ResourceStrategy {

  @Override
  public List<FieldError> validate(ObjectNode review) {
    return List.of();
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode review, ObjectNode old) {
    return validate(review);
  }
}
