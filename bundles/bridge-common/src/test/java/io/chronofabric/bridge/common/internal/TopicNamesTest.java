package io.chronofabric.bridge.common.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopicNamesTest {

    @Test
    void shouldTurnChannelLevelsIntoTopicLevels() {
        assertThat(TopicNames.topicFor("chronofabric", "sensors.temp")).isEqualTo("chronofabric/sensors/temp");
        assertThat(TopicNames.topicFor("chronofabric", "a/b")).isEqualTo("chronofabric/a/b");
        assertThat(TopicNames.topicFor("x/y", "plain")).isEqualTo("x/y/plain");
    }

    @Test
    void shouldReplaceCharactersATopicTokenCannotHold() {
        assertThat(TopicNames.topicFor("chronofabric", "orders:eu#1+ü")).isEqualTo("chronofabric/orders_eu_1__");
        assertThat(TopicNames.topicFor("chronofabric", "keep_this-one")).isEqualTo("chronofabric/keep_this-one");
    }

    @Test
    void shouldNeverMakeAnEmptyToken() {
        assertThat(TopicNames.topicFor("chronofabric", "a..b")).isEqualTo("chronofabric/a/_/b");
        assertThat(TopicNames.topicFor("chronofabric", ".x.")).isEqualTo("chronofabric/_/x/_");
        assertThat(TopicNames.topicFor("chronofabric", ".")).isEqualTo("chronofabric/_/_");
        for (String channel : new String[] {"a..b", ".x.", ".", "*", "chronofabric.deadletter", "q:1/2"}) {
            assertThat(TopicNames.isValidTopic(TopicNames.topicFor("chronofabric", channel))).as(channel).isTrue();
        }
    }

    @Test
    void shouldDeriveTheChannelFromATopicAndBack() {
        assertThat(TopicNames.channelFor("chronofabric", "chronofabric/in/x")).isEqualTo("in.x");
        assertThat(TopicNames.channelFor("chronofabric", "other/topic")).isEqualTo("other.topic");
        // only a whole first level counts as the prefix
        assertThat(TopicNames.channelFor("chronofabric", "chronofabricx/y")).isEqualTo("chronofabricx.y");
        assertThat(TopicNames.channelFor("chronofabric", TopicNames.topicFor("chronofabric", "sensors.temp.1")))
                .isEqualTo("sensors.temp.1");
    }

    @Test
    void shouldRefuseAChannelThatIsNotValid() {
        String longTopic = "chronofabric/" + "a".repeat(300);
        assertThatThrownBy(() -> TopicNames.channelFor("chronofabric", longTopic)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("longer than");
    }

    @Test
    void shouldTellValidTopicsAndPatterns() {
        assertThat(TopicNames.isValidTopic("chronofabric/in/x")).isTrue();
        assertThat(TopicNames.isValidTopic("chronofabric//x")).isFalse();
        assertThat(TopicNames.isValidTopic("/x")).isFalse();
        assertThat(TopicNames.isValidTopic("x/")).isFalse();
        assertThat(TopicNames.isValidTopic("a.b")).isFalse();
        assertThat(TopicNames.isValidTopic("")).isFalse();
        assertThat(TopicNames.isValidTopicPattern("chronofabric/in/*")).isTrue();
        assertThat(TopicNames.isValidTopicPattern("*")).isTrue();
        assertThat(TopicNames.isValidTopicPattern("chronofabric/in*")).isFalse();
        assertThat(TopicNames.isValidTopicPattern("chronofabric/*/x")).isFalse();
    }
}
