package dev.townhall.db;

import dev.townhall.TownHallConfig;
import dev.townhall.TownHallException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Database URLs as users write them, and that a password never shows in what TownHall prints. */
class EndpointTest {

    @Test
    void parsesLibpqAndJdbcUrls() {
        Endpoint libpq = Endpoint.parse("postgresql://ann:s3cret@db.example:6543/townhall");
        assertThat(libpq).isEqualTo(new Endpoint("db.example", 6543, "townhall", "ann", "s3cret"));
        Endpoint jdbc = Endpoint.parse("jdbc:postgresql://db.example/townhall?user=ann&password=s3cret");
        assertThat(jdbc).isEqualTo(new Endpoint("db.example", 5432, "townhall", "ann", "s3cret"));
    }

    @Test
    void aPlusInAPasswordStaysAPlusAndPercentEscapesAreDecoded() {
        assertThat(Endpoint.parse("postgresql://u:a+b@h/db").password()).isEqualTo("a+b");
        assertThat(Endpoint.parse("postgresql://u:a%40b%2Fc@h/db").password()).isEqualTo("a@b/c");
    }

    @Test
    void thePasswordNeverShowsInDescriptionsOrErrors() {
        Endpoint e = Endpoint.parse("postgresql://ann:s3cret@db.example/townhall");
        assertThat(e.toString()).doesNotContain("s3cret").contains("ann@db.example:5432/townhall");
        assertThat(e.describe()).doesNotContain("s3cret");
        assertThatThrownBy(() -> Endpoint.parse("mysql://ann:s3cret@db.example/x"))
                .isInstanceOf(TownHallException.class).hasMessageNotContaining("s3cret");
    }

    @Test
    void theConfigurationMasksEveryFormOfPassword() {
        for (String url : new String[] {"postgresql://ann:s3cret@h/db", "jdbc:postgresql://h/db?user=ann&password=s3cret",
                "postgresql://ann:p@s3cret@h/db"}) {
            String shown = TownHallConfig.resolve(url).toString();
            assertThat(shown).as(url).doesNotContain("s3cret");
        }
    }
}
