package io.fleetwire.hub.db;

import io.fleetwire.hub.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DbUrlTest {

    @Test
    void parse_postgresqlUrl_readsEveryPart() {
        DbUrl url = DbUrl.parse("postgresql://user:pass@host:1234/db");

        assertThat(url).isEqualTo(new DbUrl("host", 1234, "db", "user", "pass"));
    }

    @Test
    void parse_postgresScheme_isAcceptedLikePostgresql() {
        DbUrl url = DbUrl.parse("postgres://alice:secret@db.example.com:6543/fleet");

        assertThat(url).isEqualTo(new DbUrl("db.example.com", 6543, "fleet", "alice", "secret"));
    }

    @Test
    void parse_jdbcUrl_readsUserAndPasswordFromTheQuery() {
        DbUrl url = DbUrl.parse("jdbc:postgresql://host/db?user=u&password=p");

        assertThat(url).isEqualTo(new DbUrl("host", 5432, "db", "u", "p"));
    }

    @Test
    void parse_jdbcUrl_ignoresOtherQueryParameters() {
        DbUrl url = DbUrl.parse("jdbc:postgresql://host:5433/db?sslmode=require&user=u&ApplicationName=x&password=p");

        assertThat(url).isEqualTo(new DbUrl("host", 5433, "db", "u", "p"));
    }

    @Test
    void parse_queryParameters_overrideUserInfo() {
        DbUrl url = DbUrl.parse("postgresql://a:b@host/db?user=c&password=d");

        assertThat(url.user()).isEqualTo("c");
        assertThat(url.password()).isEqualTo("d");
    }

    @Test
    void parse_withOnlyAHost_defaultsPortUserAndDatabase() {
        DbUrl url = DbUrl.parse("postgresql://host");

        assertThat(url).isEqualTo(new DbUrl("host", 5432, "postgres", "postgres", null));
    }

    @Test
    void parse_withHostAndSlash_defaultsTheDatabase() {
        assertThat(DbUrl.parse("postgresql://host/").database()).isEqualTo("postgres");
    }

    @Test
    void parse_withUserButNoPassword_hasNoPassword() {
        DbUrl url = DbUrl.parse("postgresql://reader@host/db");

        assertThat(url.user()).isEqualTo("reader");
        assertThat(url.password()).isNull();
    }

    @Test
    void parse_percentDecodesThePassword() {
        DbUrl url = DbUrl.parse("postgresql://user:p%40ss%3Aw%2Fo%25rd@host/db");

        assertThat(url.password()).isEqualTo("p@ss:w/o%rd");
        assertThat(url.host()).isEqualTo("host");
    }

    @Test
    void parse_percentDecodesTheUser() {
        assertThat(DbUrl.parse("postgresql://us%40er:pw@host/db").user()).isEqualTo("us@er");
    }

    @Test
    void parse_percentDecodesQueryPassword() {
        assertThat(DbUrl.parse("jdbc:postgresql://host/db?user=u&password=a%26b%3Dc").password()).isEqualTo("a&b=c");
    }

    @Test
    void parse_passwordContainingAColon_keepsEverythingAfterTheFirstColon() {
        assertThat(DbUrl.parse("postgresql://user:a%3Ab@host/db").password()).isEqualTo("a:b");
    }

    @Test
    void parse_trimsSurroundingWhitespace() {
        assertThat(DbUrl.parse("  postgresql://user:pass@host:1234/db\n"))
                .isEqualTo(new DbUrl("host", 1234, "db", "user", "pass"));
    }

    @Test
    void parse_ipAddressHost_isKept() {
        DbUrl url = DbUrl.parse("postgresql://10.0.0.7:5433/db");

        assertThat(url.host()).isEqualTo("10.0.0.7");
        assertThat(url.port()).isEqualTo(5433);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "mysql://user:pass@host:3306/db",
        "jdbc:mysql://host/db",
        "http://host/db",
        "garbage",
        "",
        "   ",
        "host:5432/db",
        "postgresql:/host/db",
        "postgresql:host/db",
    })
    void parse_whenNotAPostgresUrl_throwsConfigExceptionNamingTheVariable(String text) {
        assertThatThrownBy(() -> DbUrl.parse(text))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("FLEETWIRE_DB_URL");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "postgresql://host name/db",
        "postgresql://user:pass@host/db with space",
        "postgresql://user:pa%zzss@host/db",
        "postgresql://",
    })
    void parse_whenTheUrlIsMalformed_throwsConfigExceptionNamingTheVariable(String text) {
        assertThatThrownBy(() -> DbUrl.parse(text))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("FLEETWIRE_DB_URL");
    }

    @Test
    void toString_neverContainsThePassword() {
        DbUrl fromUserInfo = DbUrl.parse("postgresql://user:s3cr3t-Pa55@host:1234/db");
        DbUrl fromQuery = DbUrl.parse("jdbc:postgresql://host/db?user=u&password=s3cr3t-Pa55");

        assertThat(fromUserInfo.toString()).doesNotContain("s3cr3t").isEqualTo("postgresql://user@host:1234/db");
        assertThat(fromQuery.toString()).doesNotContain("s3cr3t").isEqualTo("postgresql://u@host:5432/db");
    }

    @Test
    void toString_ofAPercentEncodedPassword_containsNeitherFormOfIt() {
        DbUrl url = DbUrl.parse("postgresql://user:top%40secret@host/db");

        assertThat(url.toString()).doesNotContain("top").doesNotContain("secret");
    }

    @Test
    void jdbcUrl_hasHostPortAndDatabaseButNoCredentials() {
        DbUrl url = DbUrl.parse("postgresql://user:pass@host:1234/db");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://host:1234/db");
    }

    @Test
    void withDatabase_replacesOnlyTheDatabase() {
        DbUrl url = DbUrl.parse("postgresql://user:pass@host:1234/db");

        assertThat(url.withDatabase("other")).isEqualTo(new DbUrl("host", 1234, "other", "user", "pass"));
        assertThat(url.database()).isEqualTo("db");
    }

    @org.junit.jupiter.api.Test
    void parse_neverFallsBackToLocalhostForAnUnreadableAuthority_keepsPlusSigns_andKeepsPasswordsOutOfErrors() {
        for (String bad : new String[] {"postgresql://app:pw@db_host:5432/app", "postgresql://u:pw@host:notaport/db",
                "postgresql://u:p@ss@host/db", "postgresql://h:99999/db"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> DbUrl.parse(bad))
                    .isInstanceOf(io.fleetwire.hub.config.ConfigException.class)
                    .message().doesNotContain("pw").doesNotContain("ss@");
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DbUrl.parse("mysql://u:secret@h/db"))
                .message().doesNotContain("secret");
        org.assertj.core.api.Assertions.assertThat(DbUrl.parse("postgresql://u:a+b@h/db").password()).isEqualTo("a+b");
        org.assertj.core.api.Assertions.assertThat(DbUrl.parse("postgresql://u@[::1]:5433/db").host()).isEqualTo("::1");
    }
}
