type {{ root }} struct{}
{#- the dependency-injection root; people add fields to it -#}
