package io.edgerag.generation.canary;

import io.edgerag.common.InvalidRequestException;
import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelRolloutTest {

    private static ModelRollout rollout(String canary, double share) {
        ModelRollout r = new ModelRollout("llama3.2", null, 0);
        if (canary != null) {
            r.startCanary(canary, share);
        }
        return r;
    }

    @Test
    void should_send_about_the_configured_share_of_sessions_to_the_canary() {
        ModelRollout r = rollout("qwen2.5", 0.2);
        long onCanary = IntStream.range(0, 20_000).mapToObj(i -> r.assign("user-" + i)).filter(Arm::isCanary).count();
        assertThat(onCanary / 20_000.0).isBetween(0.19, 0.21);
    }

    @Test
    void should_keep_a_session_on_its_arm_and_move_only_stable_sessions_when_the_share_grows() {
        ModelRollout r = rollout("qwen2.5", 0.1);
        var atTenPercent = IntStream.range(0, 2_000).mapToObj(i -> "s" + i).filter(k -> r.assign(k).isCanary()).toList();
        assertThat(atTenPercent).isNotEmpty();
        for (String key : atTenPercent) {
            assertThat(r.assign(key).isCanary()).as("asked again").isTrue();
        }
        r.startCanary("qwen2.5", 0.3);
        assertThat(atTenPercent).allMatch(k -> r.assign(k).isCanary());
        assertThat(IntStream.range(0, 2_000).mapToObj(i -> "s" + i).filter(k -> r.assign(k).isCanary()).count())
                .isGreaterThan(atTenPercent.size());
    }

    @Test
    void should_answer_from_the_stable_model_without_canary_or_without_a_key() {
        assertThat(rollout(null, 0).assign("anyone")).isEqualTo(new Arm(Arm.STABLE, "llama3.2"));
        assertThat(rollout("qwen2.5", 1.0).assign(null).name()).isEqualTo(Arm.STABLE);
        assertThat(rollout("qwen2.5", 1.0).assign("anyone")).isEqualTo(new Arm(Arm.CANARY, "qwen2.5"));
    }

    @Test
    void should_promote_the_canary_to_stable_or_roll_it_back() {
        ModelRollout promoted = rollout("qwen2.5", 0.5);
        promoted.promote();
        assertThat(promoted.state()).isEqualTo(new ModelRollout.State("qwen2.5", null, 0));
        assertThat(promoted.assign("anyone")).isEqualTo(new Arm(Arm.STABLE, "qwen2.5"));

        ModelRollout rolledBack = rollout("qwen2.5", 0.5);
        rolledBack.rollback();
        assertThat(rolledBack.state()).isEqualTo(new ModelRollout.State("llama3.2", null, 0));
        assertThatThrownBy(rolledBack::promote).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void should_refuse_a_share_outside_zero_to_one() {
        assertThatThrownBy(() -> rollout("qwen2.5", 1.5)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("between 0 and 1");
        assertThatThrownBy(() -> rollout("qwen2.5", Double.NaN)).isInstanceOf(InvalidRequestException.class);
    }
}
