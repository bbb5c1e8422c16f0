package dev.weft.deploy;

/** A WAR that could not be deployed, with the reason naming the WAR and, where known, file and line. */
public class DeploymentException extends Exception {
    public DeploymentException(String message, Throwable cause) {
        super(message, cause);
    }
}
