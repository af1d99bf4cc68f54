package io.chronofabric.web.internal;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Base64;
import java.util.Map;
import javax.security.auth.Subject;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

/**
 * HTTP Basic credentials checked against a Karaf JAAS realm; the login must carry the write role (a
 * Karaf {@code RolePrincipal}, by class name so this bundle imports no Karaf package).
 */
final class JaasAuthenticator implements Api.Authenticator {

    private final String realm;
    private final String role;

    JaasAuthenticator(String realm, String role) {
        this.realm = realm;
        this.role = role;
    }

    @Override
    public Api.Reply refusal(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return challenge("write actions need a login (HTTP Basic, Karaf JAAS realm '" + realm + "', role '" + role
                    + "')");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return challenge("malformed Authorization header: not Base64");
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return challenge("malformed Authorization header: expected user:password");
        }
        String user = decoded.substring(0, colon);
        char[] password = decoded.substring(colon + 1).toCharArray();
        Subject subject = new Subject();
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(JaasAuthenticator.class.getClassLoader());
        try {
            LoginContext lc = new LoginContext(realm, subject, callbacks -> {
                for (javax.security.auth.callback.Callback c : callbacks) {
                    if (c instanceof NameCallback n) {
                        n.setName(user);
                    } else if (c instanceof PasswordCallback p) {
                        p.setPassword(password);
                    } else {
                        throw new UnsupportedCallbackException(c);
                    }
                }
            });
            lc.login();
            try {
                for (Principal p : subject.getPrincipals()) {
                    if (p.getClass().getSimpleName().equals("RolePrincipal") && role.equals(p.getName())) {
                        return null;
                    }
                }
            } finally {
                lc.logout();
            }
            return Api.Reply.error(403, "user '" + user + "' lacks role '" + role + "'");
        } catch (LoginException e) {
            return challenge("login refused for user '" + user + "' in realm '" + realm + "'");
        } finally {
            t.setContextClassLoader(previous);
            java.util.Arrays.fill(password, '\0');
        }
    }

    private Api.Reply challenge(String message) {
        return new Api.Reply(401, Json.error(401, message),
                Map.of("WWW-Authenticate", "Basic realm=\"" + realm + "\", charset=\"UTF-8\""));
    }
}
