package dev.skiff.api.kinds.authorization;

import static dev.skiff.api.kinds.Json.obj;
import static dev.skiff.api.kinds.Strategies.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SubjectAccessReviewStrategyTest {

  @Test
  void askingAboutSomeoneNeedsAUserAndOneKindOfAttributes() {
    assertEquals(
        List.of(
            "spec.resourceAttributes: Invalid value: \"null\": exactly one of nonResourceAttributes"
                + " or resourceAttributes must be specified",
            "spec.user: Invalid value: \"\": at least one of user or group must be specified"),
        messages(SubjectAccessReviewStrategy.subject().validate(obj("{'spec':{}}"))));
    assertEquals(
        List.of(),
        SubjectAccessReviewStrategy.subject()
            .validate(
                obj(
                    "{'spec':{'user':'jane','resourceAttributes':{'verb':'get','resource':'pods'}}}")));
  }

  @Test
  void selfReviewsNeedNoUser() {
    assertEquals(
        List.of(),
        SubjectAccessReviewStrategy.self()
            .validate(obj("{'spec':{'nonResourceAttributes':{'path':'/healthz','verb':'get'}}}")));
  }

  @Test
  void localReviewsStayInTheirNamespace() {
    assertEquals(
        List.of(
            "spec.resourceAttributes.namespace: Invalid value: \"other\": must match metadata.namespace"),
        messages(
            SubjectAccessReviewStrategy.local()
                .validate(
                    obj(
                        "{'metadata':{'namespace':'d'},'spec':{'user':'jane',"
                            + "'resourceAttributes':{'namespace':'other','verb':'get','resource':'pods'}}}"))));
  }
}
