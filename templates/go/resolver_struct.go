type {{ receiver }} struct{ *{{ root }} }
{#- gofmt writes a one-field struct on one line, with a space inside the braces -#}
