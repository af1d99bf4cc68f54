package io.chronofabric.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Base64;
import java.util.Map;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JaasAuthenticatorTest {

    /** Named like Karaf's role principal, which the authenticator matches by simple class name. */
    record RolePrincipal(String getName) implements Principal {
    }

    /** Users: admin/pw (role admin), viewer/pw (role viewer). */
    public static final class TestModule implements LoginModule {
        private Subject subject;
        private CallbackHandler handler;
        private String role;

        @Override
        public void initialize(Subject s, CallbackHandler h, Map<String, ?> shared, Map<String, ?> options) {
            subject = s;
            handler = h;
        }

        @Override
        public boolean login() throws LoginException {
            NameCallback n = new NameCallback("user");
            PasswordCallback p = new PasswordCallback("password", false);
            try {
                handler.handle(new Callback[] {n, p});
            } catch (Exception e) {
                throw new LoginException(e.toString());
            }
            if (!"pw".equals(new String(p.getPassword()))) {
                throw new FailedLoginException("bad password");
            }
            role = n.getName().equals("admin") ? "admin" : "viewer";
            return true;
        }

        @Override
        public boolean commit() {
            subject.getPrincipals().add(new RolePrincipal(role));
            return true;
        }

        @Override
        public boolean abort() {
            return true;
        }

        @Override
        public boolean logout() {
            subject.getPrincipals().clear();
            return true;
        }
    }

    private Configuration previous;

    @BeforeEach
    void installRealm() {
        previous = Configuration.getConfiguration();
        Configuration.setConfiguration(new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return name.equals("testrealm") ? new AppConfigurationEntry[] {new AppConfigurationEntry(
                        TestModule.class.getName(), AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, Map.of())}
                        : null;
            }
        });
    }

    @AfterEach
    void restoreRealm() {
        Configuration.setConfiguration(previous);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldAllowALoginWithTheRole() {
        assertThat(new JaasAuthenticator("testrealm", "admin").refusal(basic("admin", "pw"))).isNull();
    }

    @Test
    void shouldAnswer403ForALoginWithoutTheRole() {
        Api.Reply r = new JaasAuthenticator("testrealm", "admin").refusal(basic("viewer", "pw"));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body()).contains("'viewer' lacks role 'admin'");
    }

    @Test
    void shouldAnswer401ForAWrongPasswordAnUnknownRealmAndNoHeader() {
        assertThat(new JaasAuthenticator("testrealm", "admin").refusal(basic("admin", "nope")).status()).isEqualTo(401);
        assertThat(new JaasAuthenticator("norealm", "admin").refusal(basic("admin", "pw")).status()).isEqualTo(401);
        Api.Reply none = new JaasAuthenticator("testrealm", "admin").refusal(null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.headers().get("WWW-Authenticate")).startsWith("Basic realm=\"testrealm\"");
    }
}
