package org.warpspark.storage;

import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The AWS SDK's web identity credentials (EKS service accounts), in s3a's provider list. The SDK's own
 * provider refuses to be created where no token is configured, and s3a creates every provider of its
 * list up front; this one is created anywhere and, without a token, lets s3a go on to the next.
 */
public final class WebIdentityCredentials implements AwsCredentialsProvider, SdkAutoCloseable {
  private final WebIdentityTokenFileCredentialsProvider provider =
      System.getenv("AWS_WEB_IDENTITY_TOKEN_FILE") != null ? WebIdentityTokenFileCredentialsProvider.create() : null;

  @Override
  public AwsCredentials resolveCredentials() {
    if (provider == null) {
      throw SdkClientException.create("no web identity token is configured (AWS_WEB_IDENTITY_TOKEN_FILE)");
    }
    return provider.resolveCredentials();
  }

  @Override
  public void close() {
    if (provider != null) {
      provider.close();
    }
  }
}
